/*
 * logfmt.h - IIS log formats as data: field names, column layouts, the
 * record one log line becomes, and the line parsers (logfmt.c).
 *
 * A record (il_rec) holds slices that point into the caller's line buffer:
 * they are valid until the caller reuses that buffer. Parsing allocates
 * nothing and never reads outside [line, line + len).
 */
#ifndef IISLENS_LOGFMT_H
#define IISLENS_LOGFMT_H

#include <stddef.h>
#include <stdint.h>

typedef struct il_str {
    const char *p;
    size_t n;
} il_str;

/* The log formats IIS and HTTP.sys write. */
typedef enum il_format {
    IL_FMT_UNKNOWN = 0,
    IL_FMT_W3C,      /* W3C extended, driven by #Fields */
    IL_FMT_FTP,      /* IIS FTP service, W3C extended with FTP fields */
    IL_FMT_HTTPERR,  /* HTTP.sys error log */
    IL_FMT_IIS,      /* IIS native, comma-separated, local time */
    IL_FMT_NCSA,     /* NCSA common, local time with offset */
    IL__FMT_COUNT
} il_format;

const char *il_format_name(il_format f);      /* "w3c", "httperr", ... */
il_format il_format_parse(const char *s);       /* by that name; UNKNOWN if not */

/* The fields iislens understands; anything else is IL_F_OTHER. */
typedef enum il_field {
    IL_F_OTHER = 0,
    IL_F_DATE, IL_F_TIME, IL_F_SITENAME, IL_F_COMPUTERNAME, IL_F_S_IP,
    IL_F_METHOD, IL_F_URI_STEM, IL_F_URI_QUERY, IL_F_S_PORT, IL_F_USERNAME,
    IL_F_C_IP, IL_F_VERSION, IL_F_UA, IL_F_COOKIE, IL_F_REFERER, IL_F_HOST,
    IL_F_STATUS, IL_F_SUBSTATUS, IL_F_WIN32, IL_F_SC_BYTES, IL_F_CS_BYTES,
    IL_F_TIME_TAKEN, IL_F_XFF, IL_F_C_PORT, IL_F_URI, IL_F_STREAMID,
    IL_F_SITEID, IL_F_REASON, IL_F_QUEUENAME, IL_F_SESSION, IL_F_FULLPATH,
    IL__F_COUNT
} il_field;

#define IL_MAX_FIELDS 64

/* A column layout: which field each column holds. Plain value type:
 * copy it freely. */
typedef struct il_layout {
    uint8_t n;                    /* columns; 0 = no layout */
    uint8_t col[IL_MAX_FIELDS];   /* il_field of each column */
    int8_t at[IL__F_COUNT];       /* column of each field, -1 if absent */
    uint8_t ftp;                  /* FTP service fields present */
    uint8_t httperr;              /* s-reason present */
    uint8_t plain;                /* none of sc-bytes, cs-bytes, s-sitename,
                                     s-siteid, X-Forwarded-For, s-reason (the
                                     parser skips them; 0 when unsure) */
    uint8_t has_date;             /* date[] holds the #Date of the block */
    char date[10];                /* YYYY-MM-DD, for records without a date
                                     field (IIS 4 FTP logs log time only) */
} il_layout;

/* Build a layout from the text after "#Fields:". Returns 0 when it has no
 * fields or more than IL_MAX_FIELDS. */
int il_layout_parse(il_layout *l, const char *s, size_t n);
int il_layout_equal(const il_layout *a, const il_layout *b);

/* What a line said, in the units the report uses. */
typedef struct il_rec {
    int64_t t;            /* seconds since 1970-01-01 UTC; INT64_MIN if none */
    int32_t status;       /* -1 if not logged */
    int32_t sub;          /* -1 if not logged */
    int64_t win32;        /* -1 if not logged; else 0..4294967295 */
    int64_t taken;        /* ms, -1 if not logged */
    int64_t sc_bytes;     /* -1 if not logged */
    int64_t cs_bytes;     /* -1 if not logged */
    il_str uri, query, method, client, user, ua, referer, host, site, xff,
        reason, version;
    uint8_t kind;         /* IL_FMT_W3C, _FTP, _HTTPERR, _IIS, _NCSA */
} il_rec;

/* Why a line was not counted as a request. */
typedef enum il_bad {
    IL_BAD_FIELD_COUNT = 0, /* values do not fit the #Fields layout */
    IL_BAD_NO_LAYOUT,       /* no #Fields and no known layout fits */
    IL_BAD_STATUS,          /* sc-status missing or not a number */
    IL_BAD_TIME,            /* date/time unreadable */
    IL_BAD_NUMBER,          /* a numeric field is not a number */
    IL_BAD_TOO_LONG,        /* longer than the line limit */
    IL_BAD_BINARY,          /* NUL bytes or other binary data */
    IL_BAD_SYNTAX,          /* IIS native / NCSA line that does not parse */
    IL_BAD_DIRECTIVE,       /* a #Fields directive that cannot be used */
    IL__BAD_COUNT
} il_bad;

const char *il_bad_name(il_bad b);   /* "field_count", ... */
const char *il_bad_text(il_bad b);   /* for people */

/* Parse one W3C/FTP/HTTPERR data line with layout l (which may be empty:
 * then the common IIS layouts are tried). Returns -1 and fills the record
 * on success, else the il_bad reason. kind is the file's format. */
int il_parse_w3c(const char *line, size_t n, const il_layout *l,
                 il_format kind, il_rec *r);
/* The same without the fields the report does not use (cs-username,
 * cs(Referer), cs-host, cs-version are left empty): the engine's hot path. */
int il_parse_w3c_lean(const char *line, size_t n, const il_layout *l,
                      il_format kind, il_rec *r);
/* il_parse_w3c that also hands back the line's values (cols holds
 * IL_MAX_FIELDS; *ncol set on success), so `sql` splits each line once. */
int il_parse_w3c_cols(const char *line, size_t n, const il_layout *l,
                      il_format kind, il_rec *r, il_str *cols, int *ncol);
int il_parse_iis(const char *line, size_t n, il_rec *r, int64_t tz_offset);
int il_parse_ncsa(const char *line, size_t n, il_rec *r);

/* The engine's fast path for W3C data lines: find the end of the line at
 * p (the first '\n'; avail bytes are readable from p) and the offsets of its
 * spaces, in one pass over whole 64-byte blocks. end holds IL_SCAN_END_CAP
 * entries. Returns the number of spaces and sets *len (the offset of the
 * '\n'); -1 when the '\n' is not within the blocks that fit in avail and
 * start at most max bytes in, or the line has more than IL_MAX_FIELDS
 * values: then take the slow path (memchr, il_parse_w3c_lean). */
#define IL_SCAN_END_CAP (IL_MAX_FIELDS + 64 + 8)
int il_w3c_scan(const char *p, size_t avail, size_t max, uint32_t *end, size_t *len);
/* The variant il_w3c_scan calls on this CPU, to call it directly in a loop. */
typedef int (*il_w3c_scan_fn)(const char *p, size_t avail, size_t max, uint32_t *end,
                              size_t *len);
il_w3c_scan_fn il_w3c_scanner(void);
/* il_parse_w3c_lean for a line of n bytes (its CR, if any, already cut)
 * whose k spaces il_w3c_scan found (all before n). end[-1] must be
 * UINT32_MAX (so column 0 starts at 0 without a test): scan into ebuf + 1
 * of a buffer of 1 + IL_SCAN_END_CAP entries. */
int il_parse_w3c_scanned(const char *line, size_t n, uint32_t *end, int k,
                         const il_layout *l, il_format kind, il_rec *r);

/* The best variant of the W3C splitter and line scanner this CPU and build
 * can run: 0 portable, 1 AVX2/BMI, 2 AVX-512 (VBMI2) for the scanner. use
 * >= 0 makes them take that variant (at most the best) from now on; -1 only
 * asks. For tests and benchmarks: by default the best is chosen at the
 * first line. */
int il_logfmt_simd(int use);

/* Split a W3C line at single spaces into up to max values (a trailing
 * space adds no empty value). Returns the count, or -1 when there are more
 * than max. */
int il_split_w3c(const char *line, size_t n, il_str *cols, int max);
/* The layout a header-less W3C/FTP/HTTPERR line implies (as il_parse_w3c
 * reads it without a layout); 0 when none fits. */
int il_layout_guess(const char *line, size_t n, il_format kind, il_layout *l);
/* The usual W3C name of a field ("cs-uri-stem"); "" for IL_F_OTHER. */
const char *il_field_name(il_field f);

/* Guess a file's format from its first bytes (up to a few KiB) and its
 * path (folder names such as FTPSVC2 or HTTPERR, file prefixes in/nc). */
il_format il_detect_format(const char *head, size_t n, const char *path);

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t il_days_from_civil(int64_t y, unsigned m, unsigned d);
/* "YYYY-MM-DD" and "HH:MM:SS[.fff]" to epoch seconds; INT64_MIN if bad. */
int64_t il_parse_w3c_time(il_str date, il_str time);

/* Decode the `+` that IIS writes for spaces (user agents, referers,
 * cookies, user names) into dst (cap bytes); returns the length. */
size_t il_unplus(char *dst, size_t cap, il_str s);

#endif
