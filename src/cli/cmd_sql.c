/*
 * cmd_sql.c - `iislens sql`: options, the query (typed, from a file, or a
 * built-in one), the run, and errors shown under the query with a caret.
 * Builds without SQLite (the Windows .exe) say so and exit 2.
 */
#include "cli.h"
#include "platform.h"
#include "sql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IL_HAVE_SQLITE

int cmd_sql(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("this iislens was built without SQLite, so `iislens sql` is not available in it "
              "(the Windows build has no SQLite yet); run it on Linux or macOS, or use "
              "`iislens report`");
    return EXIT_USAGE;
}

#else

static const char help[] =
    "Usage: iislens sql [OPTIONS] QUERY [PATH...]\n"
    "       iislens sql [OPTIONS] NAME [PATH...]     a built-in query (see --list)\n"
    "\n"
    "Runs a Log Parser-style SQL query over IIS logs (W3C extended, FTP, HTTPERR,\n"
    "IIS native, NCSA; plain, .gz or .zst), read as they are: no import step.\n"
    "Name the logs in the query (FROM u_ex*.log, FROM LogFiles/W3SVC1,\n"
    "FROM 'path with spaces/*.log') or after it and write FROM logs. Field names\n"
    "as IIS writes them work (cs-uri-stem, sc-status, cs(User-Agent)), and so do\n"
    "Log Parser's SELECT TOP n, QUANTIZE, TO_TIMESTAMP, TO_LOCALTIME,\n"
    "TO_LOWERCASE, EXTRACT_EXTENSION, STRCAT, WIN32_ERROR_DESCRIPTION ...;\n"
    "ours: IIS_EXPLAIN(status, substatus, win32), IIS_CLASS(...), PERCENTILE(x, p).\n"
    "\n"
    "  iislens sql \"SELECT TOP 10 cs-uri-stem, COUNT(*) AS Hits FROM u_ex*.log\n"
    "               GROUP BY cs-uri-stem ORDER BY Hits DESC\"\n"
    "  iislens sql top-urls LogFiles/W3SVC1\n"
    "\n"
    "Options (before or after the query):\n"
    "  --list                   the built-in queries, one line each\n"
    "  --show NAME              print the SQL of a built-in query\n"
    "  --top N                  a built-in query shows at most N rows (0: all;\n"
    "                           their own default is 10 or 25, or all)\n"
    "  -f, --file FILE          read the query from FILE (then every argument is a path)\n"
    "  --format table|csv|json|ndjson   output (default table)\n"
    "  --width N                table: fit N columns (default: the terminal's width;\n"
    "                           0 or not a terminal: no limit)\n"
    "  --tz ZONE                TO_LOCALTIME converts to ZONE: Europe/Berlin (Linux,\n"
    "                           macOS), UTC, +02:00 (default: this machine's zone)\n"
    "Input:\n"
    "  --format w3c|iis|ncsa|httperr|ftp   force the log format (default: detect)\n"
    "  --fields \"date time ...\"            layout for W3C files without #Fields\n"
    "  --max-line BYTES         longer lines are skipped as malformed (default 65536)\n"
    "  --native-tz +HH:MM       UTC offset of the server for IIS native logs\n"
    "\n"
    "Columns, functions, built-in queries and differences from Log Parser:\n"
    "docs/SQL.md.\n"
    "Exit codes: 0 ok, 2 query error or usage, 3 a file could not be read (rows\n"
    "from the others are shown), 4 a limit was reached or memory ran out.\n";

/* A built-in query's SQL with its row limit set to top (0: no limit): every
 * built-in starts "SELECT ", some with "TOP n " after it. Caller frees. */
static char *with_top(const char *sql, long top)
{
    const char *rest = sql + 7; /* after "SELECT " */
    if (strncmp(rest, "TOP ", 4) == 0) {
        rest += 4;
        while (*rest >= '0' && *rest <= '9')
            rest++;
        while (*rest == ' ')
            rest++;
    }
    size_t n = strlen(rest) + 32;
    char *q = malloc(n);
    if (!q)
        return NULL;
    if (top > 0)
        snprintf(q, n, "SELECT TOP %ld %s", top, rest);
    else
        snprintf(q, n, "SELECT %s", rest);
    return q;
}

static int write_stdout(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    return fwrite(s, 1, n, stdout) != n;
}

static char *read_file(const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp)
        return NULL;
    il_buf b;
    il_buf_init(&b, (size_t)1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        il_buf_append(&b, chunk, n);
    int bad = ferror(fp) || b.overflow;
    if (fp != stdin)
        fclose(fp);
    if (bad) {
        il_buf_free(&b);
        errno = EFBIG;
        return NULL;
    }
    if (!b.data)
        il_buf_append(&b, "", 0);
    return b.data;
}

static void show_list(void)
{
    size_t n, w = 0;
    const il_sql_builtin *b = il_sql_builtins(&n);
    for (size_t i = 0; i < n; i++)
        if (strlen(b[i].name) > w)
            w = strlen(b[i].name);
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %s\n", (int)w, b[i].name, b[i].description);
}

/* The query line holding byte pos, with a caret under it. */
static void show_position(const char *q, long pos)
{
    size_t n = strlen(q);
    size_t p = pos < 0 ? 0 : (size_t)pos > n ? n : (size_t)pos;
    size_t ls = p, le = p, line = 1, lines = 1;
    while (ls > 0 && q[ls - 1] != '\n')
        ls--;
    while (le < n && q[le] != '\n')
        le++;
    for (size_t i = 0; i < n; i++)
        if (q[i] == '\n') {
            lines++;
            if (i < ls)
                line++;
        }
    il_buf b;
    il_buf_init(&b, 0);
    il_buf_term_str(&b, q + ls, le - ls);
    il_buf pre;
    il_buf_init(&pre, 0);
    il_buf_term_str(&pre, q + ls, p - ls);
    size_t col = 0;
    for (size_t i = 0; i < pre.len; i++)
        col += ((unsigned char)pre.data[i] & 0xC0) != 0x80;
    if (lines > 1)
        fprintf(stderr, "  line %zu:\n", line);
    fprintf(stderr, "  %s\n  ", b.data ? b.data : "");
    for (size_t i = 0; i < col; i++) {
        /* a tab in the query keeps the caret in place */
        fputc(pre.data[i] == '\t' ? '\t' : ' ', stderr);
    }
    fputs("^\n", stderr);
    il_buf_free(&b);
    il_buf_free(&pre);
}

static void error_escaped(const char *prefix, const char *msg)
{
    il_buf b;
    il_buf_init(&b, 0);
    il_buf_term_str(&b, msg, strlen(msg));
    cli_error("%s%s", prefix, b.data ? b.data : "");
    il_buf_free(&b);
}

int cmd_sql(int argc, char **argv)
{
    il_sql_opts o;
    il_sql_default_opts(&o);
    const char *query = NULL, *qfile = NULL;
    long width = -1;
    long top = -1; /* --top: rows of a built-in query; -1 its own TOP */
    int list = 0;
    const char *show = NULL;
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    size_t npos = 0;
    if (!pos)
        return EXIT_LIMIT;
    int only_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_paths = 1;
            continue;
        }
        char name[64];
        const char *v = cli_inline_value(a, name, sizeof name);
        int inline_v = v != NULL;
        if (v)
            a = name;
        else if (i + 1 < argc)
            v = argv[i + 1];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            free(pos);
            return EXIT_OK;
        }
        if (strcmp(a, "--list") == 0) {
            list = 1;
            continue;
        }
        static const char *const with_value[] = {"--show", "-f", "--file", "--format", "--width", "--top",
                                                 "--tz", "--fields", "--max-line", "--native-tz"};
        int known = 0;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            known |= strcmp(a, with_value[k]) == 0;
        if (!known) {
            free(pos);
            return cli_bad_value("unknown option", argv[i], "see `iislens sql --help`");
        }
        if (!v) {
            cli_error("%s needs a value", a);
            free(pos);
            return EXIT_USAGE;
        }
        if (!inline_v)
            i++;
        int rc = EXIT_OK;
        if (strcmp(a, "--show") == 0) {
            show = v;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--file") == 0) {
            qfile = v;
        } else if (strcmp(a, "--format") == 0) {
            il_format f = il_format_parse(v);
            if (f != IL_FMT_UNKNOWN)
                o.eo.format = f;
            else if (strcmp(v, "table") == 0 || strcmp(v, "text") == 0)
                o.format = IL_SQL_TABLE;
            else if (strcmp(v, "csv") == 0)
                o.format = IL_SQL_CSV;
            else if (strcmp(v, "json") == 0)
                o.format = IL_SQL_JSON;
            else if (strcmp(v, "ndjson") == 0 || strcmp(v, "jsonl") == 0)
                o.format = IL_SQL_NDJSON;
            else
                rc = cli_bad_value("--format", v, "use table, csv, json or ndjson (output) or w3c, "
                                              "iis, ncsa, httperr, ftp (input)");
        } else if (strcmp(a, "--width") == 0) {
            char *end;
            width = strtol(v, &end, 10);
            if (*end || end == v || width < 0 || width > 100000)
                rc = cli_bad_value("--width", v, "expected 0 to 100000");
        } else if (strcmp(a, "--top") == 0) {
            char *end;
            top = strtol(v, &end, 10);
            if (*end || end == v || top < 0 || top > 100000000)
                rc = cli_bad_value("--top", v, "expected 0 (all rows) to 100000000");
        } else if (strcmp(a, "--tz") == 0) {
            if (cli_parse_utc_offset(v, &o.tz_offset))
                o.tz_fixed = 1;
            else if (!il_plat_set_tz(v))
                rc = cli_bad_value("--tz", v, "expected a zone name such as Europe/Berlin (Linux, "
                                          "macOS), UTC, or an offset such as +02:00");
        } else if (strcmp(a, "--fields") == 0) {
            if (!il_layout_parse(&o.eo.fields, v, strlen(v)))
                rc = cli_bad_value("--fields", v, "expected W3C field names such as \"date time cs-uri-stem sc-status\"");
        } else if (strcmp(a, "--max-line") == 0) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 256 || t > (1 << 20))
                rc = cli_bad_value("--max-line", v, "expected 256 to 1048576");
            else
                o.eo.max_line = (size_t)t;
        } else if (strcmp(a, "--native-tz") == 0) {
            if (!cli_parse_utc_offset(v, &o.eo.native_tz))
                rc = cli_bad_value("--native-tz", v, "expected UTC or an offset such as +02:00");
        }
        if (rc != EXIT_OK) {
            free(pos);
            return rc;
        }
    }
    if (list) {
        free(pos);
        show_list();
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    }
    if (show) {
        const il_sql_builtin *b = il_sql_builtin_find(show);
        free(pos);
        if (!b)
            return cli_bad_value("--show", show, "no built-in query by that name (see --list)");
        printf("-- %s: %s\n%s\n", b->name, b->description, b->sql);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    }

    char *qtext = NULL;
    size_t first_path = 0;
    int topped = 0; /* --top was applied to a built-in query */
    if (qfile) {
        qtext = read_file(qfile);
        if (!qtext) {
            cli_error("%s: cannot read the query: %s", qfile, strerror(errno));
            free(pos);
            return EXIT_USAGE;
        }
        query = qtext;
    } else {
        if (npos == 0) {
            cli_error("no query given (try `iislens sql --help`, or `iislens sql --list` for the built-in ones)");
            free(pos);
            return EXIT_USAGE;
        }
        query = pos[0];
        first_path = 1;
        const il_sql_builtin *b = il_sql_builtin_find(query);
        if (b && top >= 0) {
            qtext = with_top(b->sql, top);
            if (!qtext) {
                cli_error("out of memory");
                free(pos);
                return EXIT_LIMIT;
            }
            query = qtext;
            topped = 1;
        } else if (b) {
            query = b->sql;
        }
    }
    if (top >= 0 && !topped) {
        cli_error("--top applies to the built-in queries; in your own query write SELECT TOP n");
        free(qtext);
        free(pos);
        return EXIT_USAGE;
    }

    o.width = width >= 0 ? (unsigned)width : il_plat_isatty(1) ? il_plat_term_width(1) : 0;
    il_sql_result res;
    il_status st = il_sql_run(query, pos + first_path, npos - first_path, &o, write_stdout, NULL, &res);
    int rc = EXIT_OK;
    if (fflush(stdout) != 0 && st == IL_OK)
        st = IL_E_IO;
    if (res.notes[0])
        error_escaped("note: ", res.notes);
    switch (st) {
    case IL_OK:
        break;
    case IL_E_IO:
        if (res.nfile_errors) {
            for (size_t i = 0; i < res.nfile_errors; i++)
                error_escaped("", res.file_errors[i]);
        } else {
            error_escaped("", res.msg[0] ? res.msg : "cannot write the output");
        }
        rc = EXIT_IO;
        break;
    case IL_E_LIMIT:
    case IL_E_NOMEM:
        error_escaped("", res.msg[0] ? res.msg : "out of memory");
        rc = EXIT_LIMIT;
        break;
    default:
        if (res.pos >= 0) {
            error_escaped("query error: ", res.msg);
            show_position(query, res.pos);
        } else {
            error_escaped(st == IL_E_PARSE ? "query error: " : "", res.msg);
        }
        if (res.hint) {
            il_buf b;
            il_buf_init(&b, 0);
            il_buf_term_str(&b, res.hint, strlen(res.hint));
            fprintf(stderr, "  %s\n", b.data ? b.data : "");
            il_buf_free(&b);
        }
        rc = EXIT_USAGE;
        break;
    }
    il_sql_result_free(&res);
    free(qtext);
    free(pos);
    return rc;
}

#endif /* IL_HAVE_SQLITE */
