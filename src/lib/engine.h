/*
 * engine.h - the log engine: from paths to one merged il_agg.
 *
 * It expands paths (directories recursively, keeping log files), opens each
 * file (plain, .gz, .zst, or standard input), detects its format, cuts large
 * plain files into chunks that start on line boundaries, and lets worker
 * threads parse and count the chunks. Each chunk learns the #Fields layout
 * in force at its start from the chunks before it (a cheap scan for
 * directives that every chunk does first), so mid-file layout changes are
 * honoured whatever the thread count. Per-thread aggregators are merged at
 * the end. Memory: one read buffer per thread plus the bounded tables.
 */
#ifndef IISLENS_ENGINE_H
#define IISLENS_ENGINE_H

#include "agg.h"
#include "logfmt.h"

#include <stddef.h>
#include <stdint.h>

/* Which records to count. */
typedef struct il_filter {
    int64_t since, until;       /* epoch seconds; INT64_MIN/INT64_MAX = open */
    const char *site;           /* exact site (W3SVC1 / site name), NULL = any */
    const char *url_prefix;     /* cs-uri-stem prefix, NULL = any */
    /* --status patterns: up to 16 of "5xx", "404", "404.*", "401.1",
     * "500.19.13" */
    struct {
        int lo, hi;             /* status range */
        long long sub, win32;   /* -1 = any */
    } status[16];
    int nstatus;
    /* --client: an address or CIDR (IPv4 or IPv6), up to 16 */
    struct {
        unsigned char addr[16];
        int bits, v6;
    } client[16];
    int nclient;
} il_filter;

void il_filter_init(il_filter *f);
/* Parse one --status pattern into f; 0 if malformed. */
int il_filter_add_status(il_filter *f, const char *pat);
/* Parse one --client address or CIDR into f; 0 if malformed. */
int il_filter_add_client(il_filter *f, const char *s);
/* Parse an ISO 8601 date/time ("2026-11-24", "2026-11-24T09:14",
 * "2026-11-24 09:14:02", optional Z) as UTC; INT64_MIN if malformed. */
int64_t il_parse_iso_time(const char *s);

typedef struct il_engine_opts {
    unsigned threads;          /* 0 = one per processor */
    il_format format;          /* IL_FMT_UNKNOWN = detect per file */
    il_layout fields;          /* --fields layout for header-less files (n = 0: guess) */
    size_t max_line;           /* longest line accepted (bytes) */
    size_t chunk;              /* bytes per parallel chunk */
    int general_path;          /* 1: no one-pass scan of W3C lines, every line
                                  through the general path (for the tests that
                                  compare the two) */
    int64_t native_tz;         /* seconds east of UTC for IIS native local times */
    int native_tz_local;       /* 1: IIS native times are in the process's zone
                                  (il_plat_utc_offset, DST included) */
    il_agg_limits lim;
    il_filter filter;
    void (*progress)(uint64_t done, uint64_t total, void *ctx); /* may be NULL */
    void *progress_ctx;
} il_engine_opts;

void il_engine_default_opts(il_engine_opts *o);

/* What the engine read from one file. */
typedef struct il_file_info {
    char *path;                /* owned */
    char site[64];             /* from the folder name (W3SVC1, FTPSVC2), or "" */
    il_format format;
    int compressed;            /* 0 plain, 1 gzip, 2 zstd */
    uint64_t bytes, lines;
    char error[512];           /* "" when read fine */
} il_file_info;

typedef struct il_run {
    il_agg *agg;               /* merged counts */
    il_file_info *files;
    size_t nfiles;
    uint64_t bytes;            /* bytes read (decompressed) */
    unsigned threads;
} il_run;

/* Read everything in paths. Returns IL_OK (per-file problems are in
 * files[i].error and the malformed-line counts), IL_E_USAGE when a path
 * names nothing readable (message in err), IL_E_NOMEM. */
il_status il_engine_run(const char *const *paths, size_t npaths,
                        const il_engine_opts *o, il_run *run, char *err,
                        size_t errcap);
void il_run_free(il_run *run);

/* Expand paths (files, folders recursively, "-", Windows wildcards) into
 * the list of files to read, each with its site from the folder name. The
 * caller frees the list with il_files_free. IL_E_USAGE (message in err)
 * when a path names nothing readable or nothing at all is found. */
il_status il_engine_files(const char *const *paths, size_t npaths,
                          il_file_info **files, size_t *nfiles, char *err,
                          size_t errcap);
void il_files_free(il_file_info *files, size_t n);

/* 1 when a file name inside a folder looks like a log IIS writes. */
int il_engine_want_file(const char *name);

#endif
