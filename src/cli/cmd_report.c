/*
 * cmd_report.c - `iislens report`: options, the engine run, and the report
 * in the chosen output format. A progress line goes to stderr while a long
 * run reads from a terminal session.
 */
#include "cli.h"
#include "engine.h"
#include "platform.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: iislens report [OPTIONS] PATH...\n"
    "\n"
    "Reads IIS logs (W3C extended driven by #Fields, IIS native, NCSA, HTTPERR,\n"
    "FTP; plain, .gz or .zst; files, folders taken recursively, or - for stdin)\n"
    "and reports which codes occurred, what they mean, where and when, how\n"
    "slow, and what to look at first.\n"
    "\n"
    "Output:\n"
    "  --format text|json|csv|html  report format (default text); html: one\n"
    "                           self-contained page (use with -o report.html)\n"
    "  --table NAME             with csv: one table (codes, failing_urls,\n"
    "                           failing_clients, timeline, urls, clients,\n"
    "                           user_agents, httperr, findings, malformed)\n"
    "  -o, --output PATH        write to PATH (csv without --table: a folder,\n"
    "                           one NAME.csv per table)\n"
    "  --top N                  rows in top tables (default 10, max 50)\n"
    "  --tz ZONE                show and bucket times in ZONE: Europe/Berlin (DST\n"
    "                           included; Linux/macOS), UTC (default), +HH:MM\n"
    "  --local                  the same in this machine's time zone\n"
    "  --color=auto|always|never, --width N\n"
    "Input:\n"
    "  --format w3c|iis|ncsa|httperr|ftp   force the log format (default: detect)\n"
    "  --fields \"date time ...\"            layout for W3C files without #Fields\n"
    "  --threads N              worker threads (default: one per processor)\n"
    "  --max-line BYTES         longer lines are counted as malformed (default 65536)\n"
    "  --native-tz +HH:MM       UTC offset of the server for IIS native logs\n"
    "                           (default: the --tz/--local zone, else UTC)\n"
    "  --chunk-size BYTES       bytes per parallel chunk (default 2 MiB; for tests)\n"
    "Filters:\n"
    "  --since TIME, --until TIME    ISO 8601, UTC (2026-11-24T09:00)\n"
    "  --site NAME                   W3SVC1, or the s-sitename value\n"
    "  --status PAT[,PAT]            5xx, 404, 404.*, 401.1, 500.19.13\n"
    "  --url PREFIX                  cs-uri-stem prefix\n"
    "  --client IP|CIDR[,...]        client address or network (X-Forwarded-For\n"
    "                                when logged; ::ffff:a.b.c.d counts as IPv4)\n"
    "\n"
    "Exit codes: 0 report written, 2 usage, 3 a file could not be read (the\n"
    "report covers the rest) or output failed, 4 out of memory.\n";

static void show_progress(uint64_t done, uint64_t total, void *ctx)
{
    (void)ctx;
    if (total)
        fprintf(stderr, "\riislens: %3.0f%% of %.1f MB read", 100.0 * (double)done / (double)total,
                (double)total / 1e6);
    else
        fprintf(stderr, "\riislens: %.1f MB read", (double)done / 1e6);
}

/* Comma-separated values of a repeatable option. */
static int each_csv(const char *v, int (*fn)(il_filter *, const char *), il_filter *f)
{
    char buf[256];
    const char *p = v;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == 0 || n >= sizeof buf)
            return 0;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (!fn(f, buf))
            return 0;
        p = c ? c + 1 : p + n;
    }
    return 1;
}

static int write_file(const char *path, const il_buf *b)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    int ok = fwrite(b->data ? b->data : "", 1, b->len, fp) == b->len;
    ok &= fclose(fp) == 0;
    return ok;
}

int cmd_report(int argc, char **argv)
{
    il_engine_opts eo;
    il_engine_default_opts(&eo);
    il_report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.top = 10;
    ro.tz_name = "UTC";
    const char *out_fmt = "text", *table = NULL, *output = NULL, *color = "auto";
    long width = -1;
    char tzlabel[16] = "UTC";
    int native_tz_given = 0;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t np = 0;
    if (!paths)
        return EXIT_LIMIT;
    int rc = EXIT_OK;

#define NEED_VALUE()                                                            \
    do {                                                                        \
        if (!v) {                                                               \
            cli_error("%s needs a value", a);                                   \
            free(paths);                                                        \
            return EXIT_USAGE;                                                  \
        }                                                                       \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char name[64];
        const char *v = cli_inline_value(a, name, sizeof name);
        if (v)
            a = name;
        else if (a[0] == '-' && a[1] && strcmp(a, "-h") && strcmp(a, "--help") && i + 1 < argc)
            v = argv[i + 1];
        int used = v && !strchr(argv[i], '=');
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            free(paths);
            return EXIT_OK;
        } else if (strcmp(a, "--format") == 0) {
            NEED_VALUE();
            il_format f = il_format_parse(v);
            if (f != IL_FMT_UNKNOWN)
                eo.format = f;
            else if (!strcmp(v, "text") || !strcmp(v, "json") || !strcmp(v, "csv") ||
                     !strcmp(v, "html"))
                out_fmt = v;
            else {
                free(paths);
                return cli_bad_value("--format", v, "use text, json, csv or html (output) or w3c, iis, "
                                                "ncsa, httperr, ftp (input)");
            }
        } else if (strcmp(a, "--table") == 0) {
            NEED_VALUE();
            table = v;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            NEED_VALUE();
            output = v;
        } else if (strcmp(a, "--top") == 0) {
            NEED_VALUE();
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 1 || t > 50) {
                free(paths);
                return cli_bad_value("--top", v, "expected a number from 1 to 50");
            }
            ro.top = (unsigned)t;
        } else if (strcmp(a, "--threads") == 0) {
            NEED_VALUE();
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 1 || t > 64) {
                free(paths);
                return cli_bad_value("--threads", v, "expected a number from 1 to 64");
            }
            eo.threads = (unsigned)t;
        } else if (strcmp(a, "--max-line") == 0) {
            NEED_VALUE();
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 256 || t > (1 << 20)) {
                free(paths);
                return cli_bad_value("--max-line", v, "expected 256 to 1048576");
            }
            eo.max_line = (size_t)t;
        } else if (strcmp(a, "--chunk-size") == 0) {
            NEED_VALUE();
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 16 || t > (1L << 30)) {
                free(paths);
                return cli_bad_value("--chunk-size", v, "expected 16 to 1073741824");
            }
            eo.chunk = (size_t)t;
        } else if (strcmp(a, "--fields") == 0) {
            NEED_VALUE();
            if (!il_layout_parse(&eo.fields, v, strlen(v))) {
                free(paths);
                return cli_bad_value("--fields", v, "expected W3C field names such as \"date time cs-uri-stem sc-status\"");
            }
        } else if (strcmp(a, "--tz") == 0) {
            NEED_VALUE();
            if (cli_parse_utc_offset(v, &ro.tz_offset)) {
                snprintf(tzlabel, sizeof tzlabel, "%s", ro.tz_offset ? v : "UTC");
                ro.tz_name = tzlabel;
            } else if (il_plat_set_tz(v)) {
                ro.tz_local = 1;
                ro.tz_name = v;
            } else {
                free(paths);
                return cli_bad_value("--tz", v, "expected a zone name such as Europe/Berlin "
                                            "(Linux, macOS), UTC, or an offset such as +02:00");
            }
        } else if (strcmp(argv[i], "--local") == 0) {
            ro.tz_local = 1;
            ro.tz_name = "local time";
            continue;
        } else if (strcmp(a, "--native-tz") == 0) {
            NEED_VALUE();
            native_tz_given = 1;
            if (!cli_parse_utc_offset(v, &eo.native_tz)) {
                free(paths);
                return cli_bad_value("--native-tz", v, "expected UTC or an offset such as +02:00");
            }
        } else if (strcmp(a, "--since") == 0 || strcmp(a, "--until") == 0) {
            NEED_VALUE();
            int64_t t = il_parse_iso_time(v);
            if (t == INT64_MIN) {
                free(paths);
                return cli_bad_value(a, v, "expected 2026-11-24, 2026-11-24T09:14 or 2026-11-24 09:14:02 (UTC)");
            }
            if (a[2] == 's')
                eo.filter.since = t;
            else
                eo.filter.until = t;
        } else if (strcmp(a, "--site") == 0) {
            NEED_VALUE();
            eo.filter.site = v;
        } else if (strcmp(a, "--url") == 0) {
            NEED_VALUE();
            eo.filter.url_prefix = v;
        } else if (strcmp(a, "--status") == 0) {
            NEED_VALUE();
            if (!each_csv(v, il_filter_add_status, &eo.filter)) {
                free(paths);
                return cli_bad_value("--status", v, "expected patterns such as 5xx, 404, 404.*, 401.1, 500.19.13 (at most 16)");
            }
        } else if (strcmp(a, "--client") == 0) {
            NEED_VALUE();
            if (!each_csv(v, il_filter_add_client, &eo.filter)) {
                free(paths);
                return cli_bad_value("--client", v, "expected IP addresses or CIDR networks (at most 16)");
            }
        } else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0) {
            NEED_VALUE();
            color = v;
        } else if (strcmp(a, "--width") == 0) {
            NEED_VALUE();
            char *end;
            width = strtol(v, &end, 10);
            if (*end || width < 0 || width > 1000) {
                free(paths);
                return cli_bad_value("--width", v, "expected 0 to 1000");
            }
        } else if (strcmp(argv[i], "-") == 0 || argv[i][0] != '-') {
            paths[np++] = argv[i];
            continue;
        } else {
            free(paths);
            return cli_bad_value("unknown option", argv[i], "see `iislens report --help`");
        }
        if (used)
            i++;
    }
#undef NEED_VALUE
    /* IIS native logs hold the server's local time: with a zone and no
     * --native-tz, read them in that zone */
    if (ro.tz_local && !native_tz_given)
        eo.native_tz_local = 1;
    else if (!ro.tz_local && ro.tz_offset && !native_tz_given)
        eo.native_tz = ro.tz_offset;
    if (np == 0) {
        cli_error("no log files given (try `iislens report --help`)");
        free(paths);
        return EXIT_USAGE;
    }
    if (strcmp(out_fmt, "csv") == 0 && !table && !output) {
        cli_error("--format csv writes one table: add --table NAME, or -o FOLDER for all tables");
        free(paths);
        return EXIT_USAGE;
    }
    if (table) {
        int ok = 0;
        for (const char *const *t = il_report_csv_tables(); *t; t++)
            ok |= strcmp(*t, table) == 0;
        if (!ok) {
            free(paths);
            return cli_bad_value("--table", table, "unknown table (see --help)");
        }
    }
    if (il_plat_isatty(2) && !getenv("IISLENS_NO_PROGRESS")) {
        eo.progress = show_progress;
    }

    il_run run;
    char err[1024] = "";
    il_status st = il_engine_run(paths, np, &eo, &run, err, sizeof err);
    free(paths);
    if (eo.progress)
        fputs("\r\033[K", stderr);
    if (st != IL_OK) {
        il_buf b;
        il_buf_init(&b, 4096);
        il_buf_term_str(&b, err, strlen(err));
        cli_error("%s", b.data ? b.data : "");
        il_buf_free(&b);
        return st == IL_E_NOMEM ? EXIT_LIMIT : EXIT_USAGE;
    }
    for (size_t i = 0; i < run.nfiles; i++)
        if (run.files[i].error[0]) {
            il_buf b;
            il_buf_init(&b, 4096);
            il_buf_term_str(&b, run.files[i].error, strlen(run.files[i].error));
            cli_error("%s", b.data ? b.data : "");
            il_buf_free(&b);
            rc = EXIT_IO;
        }

    ro.width = cli_width(width);
    ro.color = output ? 0 : cli_use_color(color);
    il_report *rep = il_report_build(&run, &ro);
    if (!rep) {
        il_run_free(&run);
        return EXIT_LIMIT;
    }
    il_buf out;
    il_buf_init(&out, 0);
    int wrc = EXIT_OK;
    if (strcmp(out_fmt, "json") == 0) {
        il_report_json(&out, rep);
    } else if (strcmp(out_fmt, "html") == 0) {
        il_report_html(&out, rep);
    } else if (strcmp(out_fmt, "csv") == 0 && !table) {
        /* every table into the folder `output` */
        for (const char *const *t = il_report_csv_tables(); *t && wrc == EXIT_OK; t++) {
            il_buf_reset(&out);
            il_report_csv(&out, rep, *t);
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.csv", output, *t);
            if (out.overflow || !write_file(path, &out)) {
                cli_error("%s: cannot write: %s", path, strerror(errno));
                wrc = EXIT_IO;
            }
        }
        il_buf_free(&out);
        il_report_free(rep);
        il_run_free(&run);
        return wrc != EXIT_OK ? wrc : rc;
    } else if (strcmp(out_fmt, "csv") == 0) {
        il_report_csv(&out, rep, table);
    } else {
        il_report_text(&out, rep);
    }
    if (out.overflow)
        wrc = EXIT_LIMIT;
    else if (output) {
        if (!write_file(output, &out)) {
            cli_error("%s: cannot write: %s", output, strerror(errno));
            wrc = EXIT_IO;
        }
    } else {
        wrc = cli_write_out(&out);
    }
    il_buf_free(&out);
    il_report_free(rep);
    il_run_free(&run);
    return wrc != EXIT_OK ? wrc : rc;
}
