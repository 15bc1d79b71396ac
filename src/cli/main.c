/*
 * main.c - the iislens command: dispatches to a subcommand and owns the
 * process-wide bits (console setup, output, colour and width decisions).
 */
#include "cli.h"
#include "platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "iislens " IISLENS_VERSION " - explains Microsoft IIS logs and status codes\n"
    "\n"
    "Usage: iislens COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  explain CODE...   what an IIS status, sub-status, win32 status, FTP code\n"
    "                    or HTTPERR reason means, why it happens, what to do\n"
    "  report PATH...    read IIS logs (files, folders, .gz, .zst, -) and report\n"
    "                    codes with their meaning, where, when, how slow, and\n"
    "                    what to look at first (text, JSON, CSV)\n"
    "  sql QUERY [PATH...]\n"
    "                    Log Parser-style SQL over IIS logs, or one of the\n"
    "                    built-in questions (`iislens sql --list`)\n"
    "  version           print the version\n"
    "  help              this text\n"
    "\n"
    "Run `iislens COMMAND --help` for a command's options.\n"
    "Exit codes: 0 ok, 1 undocumented code, 2 usage/unreadable input,\n"
    "3 I/O error, 4 limit reached (see docs/EXIT-CODES.md).\n";

int cli_write_out(const il_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
        return EXIT_IO;
    if (fflush(stdout) != 0)
        return EXIT_IO;
    return EXIT_OK;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("iislens: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_use_color(const char *mode)
{
    if (mode && strcmp(mode, "always") == 0)
        return 1;
    if (mode && strcmp(mode, "never") == 0)
        return 0;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return il_plat_isatty(1);
}

unsigned cli_width(long requested)
{
    long w = requested;
    if (w < 0) {
        w = il_plat_term_width(1);
        if (w == 0)
            w = 80;
        if (w > 100) /* long lines are hard to read; wide terminals get 100 */
            w = 100;
    }
    if (w != 0 && w < 40)
        w = 40;
    if (w > 1000)
        w = 1000;
    return (unsigned)w;
}

int cli_parse_utc_offset(const char *s, int64_t *out)
{
    if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0) {
        *out = 0;
        return 1;
    }
    int sign = s[0] == '-' ? -1 : s[0] == '+' ? 1 : 0;
    if (!sign || strlen(s) != 6 || s[3] != ':')
        return 0;
    for (int i = 1; i < 6; i++)
        if (i != 3 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 14 || m > 59)
        return 0;
    *out = sign * (h * 3600 + m * 60);
    return 1;
}

int cli_bad_value(const char *opt, const char *v, const char *why)
{
    il_buf b;
    il_buf_init(&b, 4096);
    il_buf_term_str(&b, v, strlen(v));
    cli_error("%s '%s': %s", opt, b.data ? b.data : "", why);
    il_buf_free(&b);
    return EXIT_USAGE;
}

const char *cli_inline_value(const char *a, char *name, size_t cap)
{
    const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
    if (!eq)
        return NULL;
    size_t n = (size_t)(eq - a);
    if (n >= cap)
        n = cap - 1;
    memcpy(name, a, n);
    name[n] = '\0';
    return eq + 1;
}

int main(int argc, char **argv)
{
    il_plat_init_console();
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "sql") == 0)
        return cmd_sql(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("iislens %s\n", IISLENS_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    il_buf b;
    il_buf_init(&b, 4096);
    il_buf_term_str(&b, cmd, strlen(cmd));
    cli_error("unknown command '%s' (try `iislens help`)", b.data ? b.data : "");
    il_buf_free(&b);
    return EXIT_USAGE;
}
