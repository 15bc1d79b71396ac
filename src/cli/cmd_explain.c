/*
 * cmd_explain.c - `iislens explain`: reads codes from the arguments or
 * standard input, resolves them against the knowledge base, and prints
 * text or JSON. Unreadable input is reported on stderr (naming the input
 * and, for stdin, the line) while everything readable is still explained.
 */
#include "cli.h"
#include "platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 20)

static const char help[] =
    "Usage: iislens explain [OPTIONS] CODE...\n"
    "       iislens explain [OPTIONS] - < lines\n"
    "       iislens explain --list [http|win32|ftp|ftp-sub|httperr]\n"
    "\n"
    "Explains IIS codes the way admins write them:\n"
    "  403.14   403 14   \"403 14 0\"   \"500 19 13\"   500-100   HTTP Error 500.19\n"
    "  0x80070005   2147942405   -2147024891   --win32 64   Timer_ConnectionIdle\n"
    "  --ftp 550 2   or a whole W3C, FTP or HTTPERR log line (with or without\n"
    "  its #Fields line), as an argument or on standard input.\n"
    "A triple is read as a whole: `401 1 2148074254` is a normal NTLM handshake\n"
    "leg, `200 0 64` a client that went away. Bare numbers 100-599 are HTTP\n"
    "statuses, other numbers win32 values. Several codes: 403.14 500.19 or\n"
    "separate quoted arguments.\n"
    "\n"
    "Options:\n"
    "  -s, --short       one line per code: class and title\n"
    "  --json            JSON for scripts (an array, one object per code)\n"
    "  --win32           read every number as a win32 status\n"
    "  --ftp             read codes as FTP replies (status sub-status win32)\n"
    "  --list [TABLE]    print the knowledge base table(s)\n"
    "  --color=WHEN      auto (default: only on a terminal, not with NO_COLOR),\n"
    "                    always, never\n"
    "  --width N         wrap text at N columns (0: no wrapping)\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit codes: 0 all explained, 1 some code undocumented (still answered),\n"
    "2 bad option or unreadable input, 3 I/O error, 4 limit reached.\n";

static void error_token(const char *what, const char *text, const char *why)
{
    il_buf b;
    il_buf_init(&b, 4096);
    il_buf_term_str(&b, text, strlen(text));
    cli_error("%s '%s': %s", what, b.data ? b.data : "", why);
    il_buf_free(&b);
}

/* Read standard input line by line into the parser. Returns an exit code. */
static int read_stdin(il_explain_parser *p, size_t *errors_before)
{
    char *line = malloc(MAX_LINE + 1);
    if (!line)
        return EXIT_LIMIT;
    size_t lineno = 0;
    int rc = EXIT_OK;
    for (;;) {
        size_t len = 0;
        int c = 0, toolong = 0;
        while ((c = getchar()) != EOF && c != '\n') {
            if (len < MAX_LINE)
                line[len++] = (char)c;
            else
                toolong = 1;
        }
        if (c == EOF && len == 0 && !toolong)
            break;
        lineno++;
        if (toolong) {
            cli_error("<stdin>:%zu: line longer than %u bytes, skipped", lineno,
                      MAX_LINE);
            rc = EXIT_USAGE;
            continue;
        }
        size_t before;
        il_explain_queries(p, &before);
        il_status st = il_explain_parse(p, line, len);
        size_t after;
        const il_query *q = il_explain_queries(p, &after);
        for (size_t i = before; i < after; i++)
            if (q[i].kind == IL_Q_ERROR) {
                char where[64];
                snprintf(where, sizeof where, "<stdin>:%zu:", lineno);
                error_token(where, q[i].text, q[i].detail);
                (*errors_before)++;
            }
        if (st == IL_E_LIMIT) {
            cli_error("<stdin>:%zu: stopped: more than 10000 codes (use a "
                      "report for whole logs)", lineno);
            rc = EXIT_LIMIT;
            break;
        }
        if (st != IL_OK) {
            rc = EXIT_LIMIT;
            break;
        }
    }
    if (ferror(stdin)) {
        cli_error("<stdin>: read error: %s", strerror(errno));
        rc = EXIT_IO;
    }
    free(line);
    return rc;
}

static int list_table(const char *name, int json)
{
    int which = -1;
    if (name) {
        static const char *const names[] = {"http", "win32", "ftp", "ftp-sub",
                                            "httperr"};
        which = -2;
        for (int i = 0; i < 5; i++)
            if (strcmp(name, names[i]) == 0)
                which = i;
        if (which == -2) {
            error_token("--list", name,
                        "unknown table (use http, win32, ftp, ftp-sub or httperr)");
            return EXIT_USAGE;
        }
    }
    il_buf out;
    il_buf_init(&out, 0);
    il_explain_render_list(&out, which, 0, json);
    int rc = out.overflow ? EXIT_LIMIT : cli_write_out(&out);
    il_buf_free(&out);
    return rc;
}

int cmd_explain(int argc, char **argv)
{
    il_explain_opts opts = {0, 0};
    int json = 0, list = 0, use_stdin = 0, brief = 0;
    const char *list_name = NULL, *color = "auto";
    long width = -1;
    char **codes = calloc((size_t)argc + 1, sizeof *codes);
    int ncodes = 0;
    if (!codes)
        return EXIT_LIMIT;
    int rc = EXIT_OK;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            free(codes);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "--short") == 0) {
            brief = 1;
        } else if (strcmp(a, "--win32") == 0) {
            opts.force_win32 = 1;
        } else if (strcmp(a, "--ftp") == 0) {
            opts.force_ftp = 1;
        } else if (strcmp(a, "--list") == 0) {
            list = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-')
                list_name = argv[++i];
        } else if (strncmp(a, "--list=", 7) == 0) {
            list = 1;
            list_name = a + 7;
        } else if (strncmp(a, "--color=", 8) == 0 ||
                   strncmp(a, "--colour=", 9) == 0) {
            color = strchr(a, '=') + 1;
            if (strcmp(color, "auto") && strcmp(color, "always") &&
                strcmp(color, "never")) {
                error_token("--color", color, "use auto, always or never");
                free(codes);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--no-color") == 0) {
            color = "never";
        } else if (strcmp(a, "--width") == 0 || strncmp(a, "--width=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : "");
            char *end;
            errno = 0;
            width = strtol(v, &end, 10);
            if (!*v || *end || errno || width < 0 || width > 1000) {
                error_token("--width", v, "expected a number from 0 to 1000");
                free(codes);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "-") == 0) {
            use_stdin = 1;
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                codes[ncodes++] = argv[i];
        } else if (a[0] == '-' && a[1] == '-') {
            error_token("unknown option", a, "see `iislens explain --help`");
            free(codes);
            return EXIT_USAGE;
        } else {
            /* includes negative numbers such as -2147024891 */
            codes[ncodes++] = argv[i];
        }
    }

    if (list) {
        free(codes);
        if (ncodes || use_stdin) {
            cli_error("--list takes no codes");
            return EXIT_USAGE;
        }
        return list_table(list_name, json);
    }
    if (ncodes == 0 && !use_stdin) {
        if (il_plat_isatty(0)) {
            fputs(help, stderr);
            free(codes);
            return EXIT_USAGE;
        }
        use_stdin = 1; /* `... | iislens explain` */
    }

    il_explain_parser *p = il_explain_parser_new(&opts);
    if (!p) {
        free(codes);
        return EXIT_LIMIT;
    }
    size_t nerr = 0;
    il_status st = il_explain_parse_args(p, ncodes, codes);
    free(codes);
    size_t nq;
    const il_query *q = il_explain_queries(p, &nq);
    for (size_t i = 0; i < nq; i++)
        if (q[i].kind == IL_Q_ERROR) {
            error_token("cannot read", q[i].text, q[i].detail);
            nerr++;
        }
    if (st != IL_OK)
        rc = EXIT_LIMIT;
    if (use_stdin && rc == EXIT_OK) {
        int r = read_stdin(p, &nerr);
        if (r != EXIT_OK)
            rc = r;
    }

    q = il_explain_queries(p, &nq);
    il_explanation *ex = calloc(nq ? nq : 1, sizeof *ex);
    if (!ex) {
        il_explain_parser_free(p);
        return EXIT_LIMIT;
    }
    int undocumented = 0;
    for (size_t i = 0; i < nq; i++) {
        il_explain_resolve(&q[i], &ex[i]);
        if (q[i].kind != IL_Q_ERROR && !il_explanation_complete(&ex[i]))
            undocumented = 1;
    }
    il_buf out;
    il_buf_init(&out, 0);
    if (json)
        il_explain_render_json(&out, ex, nq);
    else
        il_explain_render_text(&out, ex, nq, cli_width(width),
                               (cli_use_color(color) ? IL_RENDER_COLOR : 0) |
                                   (brief ? IL_RENDER_SHORT : 0));
    int wrc = out.overflow ? EXIT_LIMIT : cli_write_out(&out);
    il_buf_free(&out);
    free(ex);
    il_explain_parser_free(p);

    if (wrc != EXIT_OK)
        return wrc;
    if (rc != EXIT_OK)
        return rc;
    if (nerr)
        return EXIT_USAGE;
    if (nq == 0) {
        cli_error("nothing to explain");
        return EXIT_USAGE;
    }
    return undocumented ? EXIT_UNDOCUMENTED : EXIT_OK;
}
