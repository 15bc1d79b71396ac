/*
 * report.h - turns an engine run (il_run) into the report: a view with
 * every table sorted and cut to size, the findings ("look here first"),
 * and renderers for text, JSON and CSV (report.c).
 *
 * Ownership: il_report owns its arrays; strings point into the run's
 * aggregator tables and the static knowledge base, so the run must outlive
 * the report. Output is deterministic: counts descending, ties by key.
 */
#ifndef IISLENS_REPORT_H
#define IISLENS_REPORT_H

#include "engine.h"

typedef struct il_report_opts {
    unsigned top;        /* rows per top table (default 10) */
    unsigned width;      /* text wrap width, 0 = none */
    int color;
    int64_t tz_offset;   /* seconds east of UTC for displayed times */
    int tz_local;        /* 1: use the process's zone rules (il_plat_utc_offset),
                            DST included, instead of tz_offset */
    const char *tz_name; /* "UTC", "Europe/Berlin", ... for labels */
} il_report_opts;

typedef struct il_report il_report;

il_report *il_report_build(const il_run *run, const il_report_opts *o);
void il_report_free(il_report *r);

void il_report_text(il_buf *out, const il_report *r);
void il_report_json(il_buf *out, const il_report *r);
/* One self-contained HTML page: the JSON above drawn by an inline script
   (report_html.c, template data/html/report.html). */
void il_report_html(il_buf *out, const il_report *r);
/* One CSV table by name; returns 0 when the name is unknown. */
int il_report_csv(il_buf *out, const il_report *r, const char *table);
/* The CSV table names, NULL-terminated. */
const char *const *il_report_csv_tables(void);

#endif
