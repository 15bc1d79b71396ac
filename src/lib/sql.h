/*
 * sql.h - `iislens sql`: Log Parser-style SQL over IIS logs, run by the
 * system's SQLite through a virtual table (`logs`) that streams records
 * from the reader (reader.h). No import step, no temporary copy of the
 * logs.
 *
 * A query goes through a rewriter first: Log Parser's bare hyphenated
 * field names (cs-uri-stem, cs(User-Agent)) become the declared column
 * names (cs_uri_stem, cs_User_Agent_), `FROM <files>` becomes `FROM logs`
 * (the files are collected), `SELECT TOP n` becomes `LIMIT n`,
 * `INTO <target>` is dropped, `IN (a; b)` lists get commas and PROPCOUNT(*)
 * becomes a window expression. An offset map ties every byte SQLite sees
 * back to the user's text, so errors point at what the admin typed.
 *
 * Built only with IL_HAVE_SQLITE (the Makefile's default on Linux/macOS);
 * without it il_sql_available() is 0 and nothing else is defined.
 *
 * Ownership: il_sql_text and il_sql_result own their strings; free them
 * with il_sql_text_free / il_sql_result_free (zero-initialised structs
 * are fine to free).
 */
#ifndef IISLENS_SQL_H
#define IISLENS_SQL_H

#include "engine.h"
#include "iislens.h"

#include <stddef.h>
#include <stdint.h>

/* 1 when this build has the sql command (linked with SQLite). */
int il_sql_available(void);

#ifdef IL_HAVE_SQLITE

typedef enum il_sql_format {
    IL_SQL_TABLE = 0,   /* aligned columns for the terminal */
    IL_SQL_CSV,         /* RFC 4180 with a header row, formula-safe */
    IL_SQL_JSON,        /* one array of objects */
    IL_SQL_NDJSON       /* one object per line */
} il_sql_format;

/* A named query of the built-in library (`iislens sql --list`). */
typedef struct il_sql_builtin {
    const char *name;         /* "top-urls" */
    const char *description;  /* one line */
    const char *sql;          /* Log Parser-style, FROM logs */
} il_sql_builtin;

const il_sql_builtin *il_sql_builtins(size_t *n);
const il_sql_builtin *il_sql_builtin_find(const char *name);

/* ---- rewriting (exposed for tests) ---------------------------------------- */

typedef struct il_sql_seg {
    size_t out, outlen;   /* span in the rewritten text */
    size_t in, inlen;     /* span of the user's text it came from */
} il_sql_seg;

typedef struct il_sql_text {
    il_buf sql;           /* what SQLite is given */
    char **sources;       /* the paths FROM named, as written (NULL if none) */
    size_t nsources;
    il_sql_seg *segs;     /* offset map, in output order */
    size_t nsegs, capsegs;
    char notes[512];      /* what was dropped on purpose (INTO ...) */
    char msg[512];        /* the rewriter's own error ("" when none) */
    long pos;             /* its position in the user's text, -1 when none */
} il_sql_text;

/* Rewrite query for SQLite. names: the IIS names of the table's columns
 * (NULL, 0: the standard set). Returns IL_OK, IL_E_PARSE (msg/pos set),
 * IL_E_NOMEM. */
il_status il_sql_rewrite(const char *query, const char *const *names,
                         size_t nnames, il_sql_text *t);
/* The position in the user's text of byte `off` of the rewritten text. */
long il_sql_map_offset(const il_sql_text *t, long off);
void il_sql_text_free(il_sql_text *t);
/* The column name SQLite sees for an IIS field name: characters other than
 * letters, digits and _ become _ ("cs(User-Agent)" -> "cs_User_Agent_"). */
void il_sql_ident(const char *iis, char *out, size_t cap);

/* ---- running ------------------------------------------------------------------ */

typedef struct il_sql_opts {
    il_engine_opts eo;        /* input options: format, fields, max_line, native_tz */
    il_sql_format format;
    unsigned width;           /* table: terminal columns to fit (0 = no limit) */
    int tz_fixed;             /* TO_LOCALTIME: 1 = tz_offset, 0 = the process's zone */
    int64_t tz_offset;        /* seconds east of UTC */
    size_t table_limit;       /* bytes of table text held (0 = 64 MiB) */
    size_t group_limit;       /* bytes of distinct GROUP BY values held while
                                 reading, and apart from those, of PERCENTILE's
                                 values (0 = 1 GiB each); past it: an error */
} il_sql_opts;

void il_sql_default_opts(il_sql_opts *o);

/* Receives output; returns 0 when written, non-zero to stop (write error). */
typedef int (*il_sql_write_fn)(const char *s, size_t n, void *ctx);

typedef struct il_sql_result {
    char msg[1024];        /* what went wrong, for an admin ("" when nothing) */
    long pos;              /* where in the query, -1 when nowhere */
    char *hint;            /* more help (the column list...), or NULL */
    char **file_errors;    /* files that could not be read whole */
    size_t nfile_errors;
    char notes[512];       /* parts of the query ignored on purpose */
    uint64_t rows;         /* result rows written */
} il_sql_result;

/* Run query (Log Parser-style SQL) over the logs: the files named in its
 * FROM, or paths (files, folders, "-") when it reads FROM logs. Writes the
 * result through out. Returns IL_OK; IL_E_USAGE or IL_E_PARSE (the query
 * or the paths are wrong: msg, pos, hint); IL_E_IO (the result was written
 * but some file could not be read whole: file_errors; or output failed);
 * IL_E_LIMIT / IL_E_NOMEM (msg). */
il_status il_sql_run(const char *query, const char *const *paths, size_t npaths,
                     const il_sql_opts *o, il_sql_write_fn out, void *ctx,
                     il_sql_result *res);
void il_sql_result_free(il_sql_result *res);

#endif /* IL_HAVE_SQLITE */
#endif
