/*
 * cli.h - what the iislens command's modules share: exit codes (documented
 * in docs/EXIT-CODES.md), output helpers, and one entry point per command.
 * The CLI owns argv, the standard streams and the exit status; the library
 * does the work.
 */
#ifndef IISLENS_CLI_H
#define IISLENS_CLI_H

#include "iislens.h"

enum {
    EXIT_OK = 0,          /* everything asked for was done and documented */
    EXIT_UNDOCUMENTED = 1,/* answered, but some code is not in the KB */
    EXIT_USAGE = 2,       /* bad option, or input that could not be read as a code */
    EXIT_IO = 3,          /* a file or stream could not be read or written */
    EXIT_LIMIT = 4        /* a limit was reached or memory ran out */
};

/* Write the buffer to stdout; returns EXIT_IO on failure, else EXIT_OK. */
int cli_write_out(const il_buf *b);
/* "iislens: " + message to stderr. */
void cli_error(const char *fmt, ...) IL_PRINTF(1, 2);

/* Resolve --color=auto|always|never for stdout. */
int cli_use_color(const char *mode);
/* The wrap width for stdout: --width, else the terminal, else 80; capped. */
unsigned cli_width(long requested);
/* "+HH:MM", "-HH:MM" (up to 14:59), "UTC" or "Z" -> seconds east of UTC;
 * 0 when s is none of those. */
int cli_parse_utc_offset(const char *s, int64_t *out);
/* "iislens: OPT 'VALUE': WHY" (the value escaped for the terminal);
 * returns EXIT_USAGE. */
int cli_bad_value(const char *opt, const char *v, const char *why);

/* "--name=value": copies "--name" into name (cap bytes, cut if longer)
 * and returns the value; NULL when a is not of that form. */
const char *cli_inline_value(const char *a, char *name, size_t cap);

int cmd_explain(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sql(int argc, char **argv);

#endif
