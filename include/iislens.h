/*
 * iislens.h - public interface of libiislens, the library behind the
 * `iislens` command.
 *
 * The library explains Microsoft IIS status codes (HTTP status.substatus,
 * sc-win32-status, FTP replies and sub-statuses, HTTP.sys HTTPERR reasons)
 * from a knowledge base compiled into it, and parses the ways admins write
 * those codes.
 *
 * Conventions (they hold for every function here):
 *  - The library never prints, never exits, and keeps no mutable globals.
 *    Output goes into an il_buf the caller owns.
 *  - Strings that are not NUL-terminated travel with a length.
 *  - Every il_*_new() has one il_*_free(); il_*_free(NULL) is a no-op.
 *  - Knowledge-base records are static: pointers to them stay valid for the
 *    life of the process and must not be freed.
 */
#ifndef IISLENS_H
#define IISLENS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IISLENS_VERSION "0.1.0"

/* printf-style format checking; MinGW builds use the C99 printf
 * (__USE_MINGW_ANSI_STDIO), which gcc calls gnu_printf there. */
#if defined(__MINGW32__)
#define IL_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define IL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define IL_PRINTF(f, a)
#endif

/* ---- status codes of the library itself -------------------------------- */

typedef enum il_status {
    IL_OK = 0,
    IL_E_NOMEM,     /* an allocation failed */
    IL_E_IO,        /* reading or writing a file failed */
    IL_E_PARSE,     /* input could not be understood */
    IL_E_LIMIT,     /* a size limit was reached */
    IL_E_USAGE,     /* the caller asked for something invalid */
    IL__STATUS_COUNT
} il_status;

/* A constant English description of a status; never NULL. */
const char *il_strerror(il_status st);

/* ---- growable output buffer (buf.c) -------------------------------------- */

/* A byte buffer with a hard cap. Appends past the cap are dropped and set
 * `overflow`; the buffer stays NUL-terminated. Zero-initialise, or use
 * il_buf_init(); release with il_buf_free(). */
typedef struct il_buf {
    char *data;     /* NUL-terminated contents (NULL while empty) */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
    size_t limit;   /* 0 = default limit (64 MiB) */
    int overflow;   /* set once an append did not fit or allocation failed */
} il_buf;

void il_buf_init(il_buf *b, size_t limit);
void il_buf_free(il_buf *b);
void il_buf_reset(il_buf *b);
void il_buf_append(il_buf *b, const char *s, size_t n);
void il_buf_puts(il_buf *b, const char *s);
void il_buf_putc(il_buf *b, char c);
void il_buf_printf(il_buf *b, const char *fmt, ...) IL_PRINTF(2, 3);
/* Append s as the contents of a JSON string (without the quotes): quotes,
 * backslashes and control characters escaped, invalid UTF-8 replaced by
 * U+FFFD, so the result is always valid JSON. */
void il_buf_json_str(il_buf *b, const char *s, size_t n);
/* Append s for a terminal: control characters (C0, DEL, C1 and ESC
 * sequences) are shown as visible escapes such as \x1b, invalid UTF-8 as
 * \xNN, so log content can never drive the terminal. */
void il_buf_term_str(il_buf *b, const char *s, size_t n);
/* Append s as one quoted CSV field: quotes doubled, control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 shown as '?', and a leading
 * = + - @ tab or CR preceded by ' so no spreadsheet reads it as a formula. */
void il_buf_csv_str(il_buf *b, const char *s, size_t n);

/* ---- classes ------------------------------------------------------------- */

/* What a code says about the request, as an admin triages it. */
typedef enum il_class {
    IL_CLASS_UNKNOWN = 0,
    IL_CLASS_INFO,            /* 1xx, FTP intermediate replies */
    IL_CLASS_SUCCESS,
    IL_CLASS_REDIRECT,
    IL_CLASS_CLIENT_ERROR,    /* the request was wrong or not allowed */
    IL_CLASS_SERVER_ERROR,    /* the server or application failed */
    IL_CLASS_AUTH_HANDSHAKE,  /* a normal leg of an authentication exchange */
    IL_CLASS_CLIENT_ABORT,    /* client or network went away: not a server fault */
    IL_CLASS_SECURITY,        /* a security feature blocked or flagged it */
    IL__CLASS_COUNT
} il_class;

const char *il_class_name(il_class c);   /* "client_error": for JSON/CSV */
const char *il_class_label(il_class c);  /* "client error": for people */
/* Parse a class name as il_class_name() writes it; IL_CLASS_UNKNOWN if not. */
il_class il_class_parse(const char *s, size_t n);
/* 1 when a request of this class counts as an error for error rates. */
int il_class_is_error(il_class c);

typedef enum il_confidence {
    IL_CONF_CONFIRMED = 0,    /* a cited source states it */
    IL_CONF_INFERENCE,        /* our reading of a documented fact */
    IL_CONF_UNCONFIRMED       /* a hint: third-party or undocumented */
} il_confidence;

const char *il_confidence_name(il_confidence c);

/* ---- knowledge base (kb.c) ---------------------------------------------- */

typedef enum il_kb_table {
    IL_KB_HTTP = 0,    /* key: status.substatus (+ variant) */
    IL_KB_WIN32,       /* key: sc-win32-status value */
    IL_KB_FTP,         /* key: FTP reply code */
    IL_KB_FTP_SUB,     /* key: IIS FTP sub-status */
    IL_KB_HTTPERR,     /* key: HTTP.sys s-reason phrase */
    IL__KB_TABLE_COUNT
} il_kb_table;

/* One knowledge-base record. Every text field is a non-empty static string;
 * "-" means "nothing to say" where the format allows it. */
typedef struct il_kb_entry {
    const char *key;       /* "403.14", "64", "550", "Timer_ConnectionIdle" */
    uint32_t code;         /* HTTP/FTP: status; WIN32: value; FTP_SUB: sub */
    uint32_t sub;          /* HTTP: substatus; HTTPERR: HTTP status or 0 */
    const char *variant;   /* HTTP: "-", "iis6", "arr", "ancm";
                              WIN32: symbolic name; others: "-" */
    const char *title;
    const char *versions;
    const char *meaning;
    const char *causes;    /* items separated by " ; " */
    const char *action;    /* items separated by " ; " */
    const char *related;   /* comma-separated keys, or "-" */
    const char *source;    /* comma-separated source keys */
    il_class cls;
    il_confidence conf;
} il_kb_entry;

/* A status/substatus/win32 triple read as a whole. */
typedef struct il_kb_combo {
    uint8_t ftp;           /* 0 = HTTP, 1 = FTP */
    uint32_t status;
    int64_t sub;           /* -1 = any */
    int64_t win32;         /* -1 = any */
    const char *title;
    const char *reading;
    const char *action;
    const char *condition; /* or "-" */
    const char *source;
    il_class cls;
    il_confidence conf;
} il_kb_combo;

typedef struct il_kb_source {
    const char *key, *title, *where;
} il_kb_source;

/* The whole table, sorted by key; *count receives its length. */
const il_kb_entry *il_kb_all(il_kb_table t, size_t *count);
const il_kb_combo *il_kb_combos(size_t *count);
const il_kb_source *il_kb_sources(size_t *count);

/* HTTP entries for status.sub: returns the first of a run of entries (the
 * main one first, then variants) and stores the run length in *n; NULL and
 * *n = 0 when the KB has none. */
const il_kb_entry *il_kb_http(unsigned status, unsigned sub, size_t *n);
const il_kb_entry *il_kb_win32(uint32_t value);
const il_kb_entry *il_kb_ftp(unsigned code);
const il_kb_entry *il_kb_ftp_sub(unsigned sub);
/* Reason phrase lookup: exact first, then ASCII case-insensitive. */
const il_kb_entry *il_kb_httperr(const char *reason, size_t n);
const il_kb_source *il_kb_source_find(const char *key, size_t n);
/* The most specific combination rule for the triple (exact sub and win32
 * beat wildcards); NULL if none. sub/win32 < 0 mean "not logged". */
const il_kb_combo *il_kb_combo_find(int ftp, unsigned status, long long sub,
                                    long long win32);

/* Class of a logged triple: a combination rule if one applies, else the
 * HTTP entry, else the status range. sub/win32 < 0 mean "not logged". */
il_class il_classify(unsigned status, long long sub, long long win32);

/* ---- code spellings (code.c) --------------------------------------------- */

/* A sc-win32-status value as logs carry it, decoded. */
typedef struct il_win32 {
    uint32_t raw;          /* the 32-bit value as logged */
    uint32_t code;         /* plain Win32 code when facility WIN32, else raw */
    int is_hresult;        /* raw has the severity bit set */
    int facility_win32;    /* raw is 0x8007xxxx: decoded to `code` */
} il_win32;

/* Parse a win32 status written as plain decimal ("64"), unsigned HRESULT
 * decimal ("2147942405"), signed decimal ("-2147024891") or hex
 * ("0x80070005", "80070005h" not accepted). Returns IL_OK or IL_E_PARSE
 * (empty, junk, or out of 32-bit range). */
il_status il_win32_parse(const char *s, size_t n, il_win32 *out);
void il_win32_decode(uint32_t raw, il_win32 *out);

/* Parse an unsigned decimal of at most `maxdigits` digits; IL_E_PARSE on
 * anything else (sign, junk, overflow past 2^63). */
il_status il_parse_uint(const char *s, size_t n, uint64_t *out);

/* ---- explain (explain.c) ------------------------------------------------- */

typedef enum il_query_kind {
    IL_Q_HTTP = 0,     /* status [sub [win32]] */
    IL_Q_WIN32,        /* a win32 value alone */
    IL_Q_FTP,          /* FTP reply [sub [win32]] */
    IL_Q_HTTPERR,      /* an HTTP.sys reason phrase */
    IL_Q_ERROR         /* input that could not be understood */
} il_query_kind;

/* One thing to explain, as parsed from the user's input. */
typedef struct il_query {
    il_query_kind kind;
    unsigned status;       /* HTTP status or FTP reply */
    long long sub;         /* -1 = not given */
    long long win32;       /* -1 = not given; else the raw 32-bit value */
    char text[128];        /* the input it came from (truncated), for echo;
                              for IL_Q_HTTPERR the reason phrase */
    char detail[160];      /* IL_Q_ERROR: why; log lines: "line: ..." note */
    char uri[256];         /* from a pasted log line: cs-uri-stem, else "" */
    long long time_taken;  /* from a pasted log line, -1 if none */
} il_query;

/* Options that steer how input is read. */
typedef struct il_explain_opts {
    int force_win32;       /* every number is a win32 value (--win32) */
    int force_ftp;         /* codes are FTP replies (--ftp) */
} il_explain_opts;

/* A parser of explain input: feed it argument groups or input lines; it
 * keeps the last #Fields layout it saw (for pasted log lines). */
typedef struct il_explain_parser il_explain_parser;

il_explain_parser *il_explain_parser_new(const il_explain_opts *opts);
void il_explain_parser_free(il_explain_parser *p);
/* Parse one group (one argv element, or one input line). Appends the
 * queries found to the parser's list; a "#Fields:" line sets the layout and
 * yields nothing. Never fails on content: what cannot be read becomes an
 * IL_Q_ERROR query. Returns IL_E_LIMIT after 10000 queries, IL_E_NOMEM. */
il_status il_explain_parse(il_explain_parser *p, const char *s, size_t n);
/* Parse several argv groups at once: an argument holding only a number
 * continues the previous code ("403" "14" "0" is one query), while an
 * argument with spaces inside stands alone. */
il_status il_explain_parse_args(il_explain_parser *p, int argc,
                                char *const *argv);
const il_query *il_explain_queries(const il_explain_parser *p, size_t *n);

/* What the KB says about one query. */
typedef struct il_explanation {
    const il_query *q;
    il_class cls;                  /* class of the whole query */
    const il_kb_entry *http[4];    /* HTTP/FTP entries (main + variants) */
    size_t nhttp;
    const il_kb_entry *generic;    /* status.0 when the sub is unknown */
    const il_kb_entry *ftp_sub;    /* FTP sub-status entry */
    const il_kb_entry *win32;      /* win32 entry, if any */
    il_win32 w;                    /* decoded win32 (when q->win32 >= 0) */
    const il_kb_combo *combo;      /* the triple's reading, if any */
    const il_kb_entry *httperr;    /* HTTPERR reason entry */
    int unknown_status;            /* the status itself is not in the KB */
    int unknown_sub;               /* the sub-status is not documented */
    int unknown_win32;             /* the win32 value is not in the KB */
    uint32_t nearest[8];           /* nearest documented substatuses */
    size_t nnearest;
} il_explanation;

void il_explain_resolve(const il_query *q, il_explanation *out);
/* 1 when everything in the query was found in the KB. */
int il_explanation_complete(const il_explanation *e);

/* Flags for il_explain_render_text. */
#define IL_RENDER_COLOR 1u  /* add ANSI colour */
#define IL_RENDER_SHORT 2u  /* one line per code: input, class, title */

/* Render explanations. width: wrap column for text (0 = no wrapping).
 * A code already explained earlier in the same output is not repeated in
 * full. JSON output is one array with one object per query. */
void il_explain_render_text(il_buf *out, const il_explanation *e, size_t n,
                            unsigned width, unsigned flags);
void il_explain_render_json(il_buf *out, const il_explanation *e, size_t n);
/* The table for `explain --list`: which = IL_KB_* or -1 for all. */
void il_explain_render_list(il_buf *out, int which, unsigned width,
                            int json);

#ifdef __cplusplus
}
#endif
#endif /* IISLENS_H */
