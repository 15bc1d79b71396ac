/*
 * logfmt.c - turns one IIS log line into an il_rec: W3C extended (and its
 * FTP and HTTPERR variants) by #Fields layout or, for header-less files, by
 * the shape IIS's fixed field order gives a line; IIS native; NCSA common.
 * Also guesses a file's format from its first bytes.
 *
 * Everything works on slices of the caller's buffer; nothing allocates,
 * nothing reads outside [line, line + n) (il_w3c_scan, which looks for the
 * line's end, outside [p, p + avail)).
 *
 * The hot part is finding values: spaces (and, in il_w3c_scan, the line
 * feed) of 64 bytes at a time become a bit mask whose positions are written
 * out without a branch per value. Three variants, all tested against the
 * same references (tests/unit/test_logfmt.c): portable (SSE2 or plain
 * 64-bit words), AVX2 with BMI/POPCNT, and for the scanner AVX-512 VBMI2;
 * the best this CPU runs is chosen at the first line (split_kind).
 */
#include "logfmt.h"
#include "iislens.h"
#include "internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static const char *const format_names[IL__FMT_COUNT] = {
    "unknown", "w3c", "ftp", "httperr", "iis", "ncsa"};

const char *il_format_name(il_format f)
{
    return (unsigned)f < IL__FMT_COUNT ? format_names[f] : "unknown";
}

il_format il_format_parse(const char *s)
{
    for (int i = 1; i < IL__FMT_COUNT; i++)
        if (strcmp(s, format_names[i]) == 0)
            return (il_format)i;
    return IL_FMT_UNKNOWN;
}

static const char *const bad_names[IL__BAD_COUNT] = {
    "field_count", "no_layout", "status", "time", "number",
    "too_long",    "binary",    "syntax", "directive"};
static const char *const bad_texts[IL__BAD_COUNT] = {
    "value count does not match the #Fields layout",
    "no #Fields line and no known IIS layout fits",
    "sc-status missing or not a number",
    "date or time unreadable",
    "a numeric field is not a number",
    "line longer than the limit",
    "binary data (NUL bytes)",
    "line does not parse in this format",
    "unusable #Fields directive"};

const char *il_bad_name(il_bad b)
{
    return (unsigned)b < IL__BAD_COUNT ? bad_names[b] : "unknown";
}

const char *il_bad_text(il_bad b)
{
    return (unsigned)b < IL__BAD_COUNT ? bad_texts[b] : "unknown";
}

/* ---- field names and layouts --------------------------------------------- */

static const struct {
    const char *name;
    il_field f;
} field_names[] = {
    {"date", IL_F_DATE},
    {"time", IL_F_TIME},
    {"s-sitename", IL_F_SITENAME},
    {"s-computername", IL_F_COMPUTERNAME},
    {"s-ip", IL_F_S_IP},
    {"cs-method", IL_F_METHOD},
    {"cs-uri-stem", IL_F_URI_STEM},
    {"cs-uri-query", IL_F_URI_QUERY},
    {"s-port", IL_F_S_PORT},
    {"cs-username", IL_F_USERNAME},
    {"c-ip", IL_F_C_IP},
    {"cs-version", IL_F_VERSION},
    {"cs(User-Agent)", IL_F_UA},
    {"cs(Cookie)", IL_F_COOKIE},
    {"cs(Referer)", IL_F_REFERER},
    {"cs(Referrer)", IL_F_REFERER},
    {"cs-host", IL_F_HOST},
    {"sc-status", IL_F_STATUS},
    {"sc-substatus", IL_F_SUBSTATUS},
    {"sc-win32-status", IL_F_WIN32},
    {"sc-bytes", IL_F_SC_BYTES},
    {"cs-bytes", IL_F_CS_BYTES},
    {"time-taken", IL_F_TIME_TAKEN},
    {"X-Forwarded-For", IL_F_XFF},
    {"cs(X-Forwarded-For)", IL_F_XFF},
    {"OriginalIP", IL_F_XFF},
    {"c-port", IL_F_C_PORT},
    {"cs-uri", IL_F_URI},
    {"streamid", IL_F_STREAMID},
    {"s-siteid", IL_F_SITEID},
    {"s-reason", IL_F_REASON},
    {"s-queuename", IL_F_QUEUENAME},
    {"x-session", IL_F_SESSION},
    {"x-fullpath", IL_F_FULLPATH},
};

const char *il_field_name(il_field f)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (field_names[i].f == f)
            return field_names[i].name;
    return "";
}

static il_field field_of(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (il_casecmp(field_names[i].name, strlen(field_names[i].name), s, n) == 0)
            return field_names[i].f;
    return IL_F_OTHER;
}

static void layout_index(il_layout *l)
{
    memset(l->at, -1, sizeof l->at);
    for (int i = l->n - 1; i >= 0; i--)
        if (l->col[i] != IL_F_OTHER)
            l->at[l->col[i]] = (int8_t)i;
    l->ftp = l->at[IL_F_SESSION] >= 0 || l->at[IL_F_FULLPATH] >= 0;
    l->httperr = l->at[IL_F_REASON] >= 0;
    l->plain = l->at[IL_F_SC_BYTES] < 0 && l->at[IL_F_CS_BYTES] < 0 &&
               l->at[IL_F_SITENAME] < 0 && l->at[IL_F_SITEID] < 0 && l->at[IL_F_XFF] < 0 &&
               l->at[IL_F_REASON] < 0;
}

int il_layout_parse(il_layout *l, const char *s, size_t n)
{
    memset(l, 0, sizeof *l);
    size_t i = 0;
    int k = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        if (k == IL_MAX_FIELDS)
            return 0;
        l->col[k++] = (uint8_t)field_of(s + st, i - st);
    }
    l->n = (uint8_t)k;
    layout_index(l);
    return k > 0;
}

int il_layout_equal(const il_layout *a, const il_layout *b)
{
    return a->n == b->n && memcmp(a->col, b->col, a->n) == 0;
}

/* ---- numbers and time ------------------------------------------------------ */

IL_HOT_INLINE int parse_num(il_str s, int64_t max, int64_t *out)
{
    if (s.n == 0 || s.n > 19)
        return 0;
    uint64_t v = 0; /* 19 digits always fit in 64 unsigned bits */
    for (size_t i = 0; i < s.n; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9)
            return 0;
        v = v * 10 + d;
    }
    if (v > (uint64_t)max)
        return 0;
    *out = (int64_t)v;
    return 1;
}

/* parse_num for a value of a W3C line: up to eight digits are read and
 * checked as one 64-bit word (the eight bytes that end the value, which lie
 * inside the line when the value ends at least 8 bytes in), without a loop
 * or a branch per digit. */
IL_HOT_INLINE int parse_num_at(const char *line, il_str s, int64_t max, int64_t *out)
{
    /* the usual shapes first (each call site is inlined, so its branch
     * predicts): one digit (sub-status, win32 0), three (sc-status) */
    if (s.n == 1) {
        unsigned d = (unsigned char)s.p[0] - '0';
        if (d > 9 || d > (uint64_t)max)
            return 0;
        *out = d;
        return 1;
    }
    if (s.n == 3) {
        unsigned a = (unsigned char)s.p[0] - '0', b = (unsigned char)s.p[1] - '0',
                 c = (unsigned char)s.p[2] - '0';
        unsigned v = a * 100 + b * 10 + c;
        if ((a > 9) | (b > 9) | (c > 9) || v > (uint64_t)max)
            return 0;
        *out = v;
        return 1;
    }
    size_t e = (size_t)(s.p - line) + s.n;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    e = 0; /* the word below is read little-endian */
#endif
    if (s.n == 0 || s.n > 8 || e < 8)
        return parse_num(s, max, out);
    uint64_t w = il_load64(line + e - 8); /* little-endian: the value in the top bytes */
    unsigned sh = (unsigned)(8 - s.n) * 8;
    /* the bytes before the value become leading '0's */
    w = (w & (~0ull << sh)) | ((0x3030303030303030ull >> 1) >> (63 - sh));
    if ((w & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull ||
        ((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull)
        return 0; /* a byte that is not a digit */
    w -= 0x3030303030303030ull; /* digits, the most significant in the low byte */
    w = w * 10 + (w >> 8);
    w = (((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
         (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
    uint64_t v = (uint32_t)w;
    if (v > (uint64_t)max)
        return 0;
    *out = (int64_t)v;
    return 1;
}

static int is_dash(il_str s)
{
    return s.n == 1 && s.p[0] == '-';
}

int64_t il_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* H. Hinnant's algorithm, in our own words: shift March to month 0 so
     * leap days fall at the end of the year, then count eras of 400 years. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int d2(const char *p)
{
    unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* The last "date time" read (busy logs repeat the same second line after
 * line), per thread: stamp holds "YYYY-MM-DD HH:MM:SS" once t is known. */
static _Thread_local struct {
    char stamp[19];
    int64_t t; /* INT64_MIN: none yet */
} last_time = {"", INT64_MIN};

/* Whether date and time are the last stamp read: then *t is its time. */
IL_HOT_INLINE int same_stamp(il_str date, il_str time, int64_t *t)
{
    if (last_time.t == INT64_MIN || date.n != 10 || time.n != 8)
        return 0;
    if (time.p == date.p + 11) { /* "date time" side by side, as IIS writes them */
        const unsigned char *p = (const unsigned char *)date.p,
                            *q = (const unsigned char *)last_time.stamp;
        if (il_load64(p) != il_load64(q) || il_load64(p + 8) != il_load64(q + 8) ||
            il_load32(p + 15) != il_load32(q + 15))
            return 0;
    } else if (memcmp(last_time.stamp, date.p, 10) != 0 ||
               memcmp(last_time.stamp + 11, time.p, 8) != 0) {
        return 0;
    }
    *t = last_time.t;
    return 1;
}

/* il_parse_w3c_time for a stamp that is not the last one read (parse_w3c_at
 * checks that itself). */
static int64_t parse_time_fresh(il_str date, il_str time)
{
    if (date.n != 10 || date.p[4] != '-' || date.p[7] != '-' || time.n < 8 ||
        time.p[2] != ':' || time.p[5] != ':')
        return INT64_MIN;
    int y1 = d2(date.p), y2 = d2(date.p + 2), mo = d2(date.p + 5),
        da = d2(date.p + 8), h = d2(time.p), mi = d2(time.p + 3),
        se = d2(time.p + 6);
    if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || da < 1 || da > 31 || h < 0 ||
        h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return INT64_MIN;
    /* consecutive lines almost always share the date: remember the last */
    static _Thread_local char last_date[10];
    static _Thread_local int64_t last_days = INT64_MIN;
    int64_t days;
    if (last_days != INT64_MIN && memcmp(last_date, date.p, 10) == 0) {
        days = last_days;
    } else {
        days = il_days_from_civil(y1 * 100 + y2, (unsigned)mo, (unsigned)da);
        memcpy(last_date, date.p, 10);
        last_days = days;
    }
    int64_t t = days * 86400 + h * 3600 + mi * 60 + se;
    if (time.n == 8) {
        memcpy(last_time.stamp, date.p, 10);
        last_time.stamp[10] = ' ';
        memcpy(last_time.stamp + 11, time.p, 8);
        last_time.t = t;
    }
    return t;
}

int64_t il_parse_w3c_time(il_str date, il_str time)
{
    int64_t t;
    return same_stamp(date, time, &t) ? t : parse_time_fresh(date, time);
}

size_t il_unplus(char *dst, size_t cap, il_str s)
{
    size_t n = s.n < cap ? s.n : cap;
    for (size_t i = 0; i < n; i++)
        dst[i] = s.p[i] == '+' ? ' ' : s.p[i];
    return n;
}

/* ---- W3C lines ---------------------------------------------------------- */

static int is_ipish(il_str s)
{
    /* IPv4, IPv6 (with zone id) or "-" */
    if (s.n == 0 || s.n > 64)
        return 0;
    int colon = 0, dot = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == ':')
            colon++;
        else if (c == '.')
            dot++;
        else if (c == '%')
            return colon >= 2; /* zone id follows */
        else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                   (c >= 'A' && c <= 'F')))
            return 0;
    }
    return dot == 3 || colon >= 2;
}

static int is_digits(il_str s, size_t maxlen)
{
    if (s.n == 0 || s.n > maxlen)
        return 0;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return 0;
    return 1;
}

static int is_method(il_str s)
{
    if (s.n == 0 || s.n > 32)
        return 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
              (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static int is_status_tok(il_str s)
{
    return s.n == 3 && s.p[0] >= '1' && s.p[0] <= '6' && is_digits(s, 3);
}

/* The HTTPERR columns when the reason phrase is in column r. */
static int httperr_layout(int n, int r, il_layout *l)
{
    uint8_t *c = l->col;
    int k = 2;
    c[k++] = IL_F_C_IP;
    c[k++] = IL_F_C_PORT;
    c[k++] = IL_F_S_IP;
    c[k++] = IL_F_S_PORT;
    c[k++] = IL_F_VERSION;
    c[k++] = IL_F_METHOD;
    c[k++] = IL_F_URI;
    if (k == r - 3) /* Windows Server 2016+: streamid before sc-status */
        c[k++] = IL_F_STREAMID;
    if (k != r - 2)
        return 0;
    c[k++] = IL_F_STATUS;
    c[k++] = IL_F_SITEID;
    c[k++] = IL_F_REASON;
    if (k < n)
        c[k++] = IL_F_QUEUENAME;
    while (k < n) /* newer trailing fields such as transport */
        c[k++] = IL_F_OTHER;
    layout_index(l);
    return 1;
}

/* Rebuild a layout from the shape of a header-less line, following the
 * fixed order in which IIS writes the fields it was told to log. */
static int guess_layout(const il_str *t, int n, il_format kind, il_layout *l)
{
    memset(l, 0, sizeof *l);
    l->n = (uint8_t)n;
    if (n < 6 || n > IL_MAX_FIELDS)
        return 0;
    uint8_t *c = l->col;
    c[0] = IL_F_DATE;
    c[1] = IL_F_TIME;
    /* HTTPERR: c-ip c-port s-ip s-port cs-version after the time, then the
     * reason phrase near the end (a known one, or where the layout puts it) */
    int herr = n >= 13 && n <= 16 && is_ipish(t[2]) && (is_digits(t[3], 5) || is_dash(t[3])) &&
               is_ipish(t[4]) && (is_digits(t[5], 5) || is_dash(t[5])) &&
               (is_dash(t[6]) || (t[6].n > 5 && memcmp(t[6].p, "HTTP/", 5) == 0));
    int rpos = -1;
    for (int r = n - 1; r >= n - 3 && r >= 10; r--)
        if (il_kb_httperr(t[r].p, t[r].n)) {
            rpos = r;
            break;
        }
    if (rpos < 0 && herr)
        rpos = n == 13 ? 11 : 12; /* classic; or with streamid (2016+) */
    if (rpos >= 0 && httperr_layout(n, rpos, l))
        return 1;
    int ftp_shape = n == 13 && is_ipish(t[2]) && is_ipish(t[4]) && is_digits(t[5], 5) &&
                    (is_status_tok(t[8]) || is_dash(t[8])) && is_digits(t[9], 10) &&
                    is_digits(t[10], 5);
    if ((kind == IL_FMT_FTP && n == 13) || ftp_shape) {
        static const uint8_t ftp[13] = {
            IL_F_DATE,   IL_F_TIME,   IL_F_C_IP,     IL_F_USERNAME, IL_F_S_IP,
            IL_F_S_PORT, IL_F_METHOD, IL_F_URI_STEM, IL_F_STATUS,   IL_F_WIN32,
            IL_F_SUBSTATUS, IL_F_SESSION, IL_F_FULLPATH};
        memcpy(c, ftp, 13);
        layout_index(l);
        return 1;
    }
    /* W3C: date time [s-sitename] [s-computername] [s-ip] cs-method ... */
    int m = -1;
    for (int i = 2; i <= 5 && i + 5 < n; i++)
        if (is_method(t[i]) && t[i + 1].n &&
            (t[i + 1].p[0] == '/' || t[i + 1].p[0] == '*' || is_dash(t[i + 1])) &&
            is_digits(t[i + 3], 5)) {
            m = i;
            break;
        }
    if (m < 0)
        return 0;
    int k = 2, pre = m - 2; /* values between time and cs-method */
    if (pre == 1) {
        c[k++] = is_ipish(t[2]) ? IL_F_S_IP : IL_F_SITENAME;
    } else if (pre == 2) {
        c[k++] = IL_F_SITENAME;
        c[k++] = is_ipish(t[3]) ? IL_F_S_IP : IL_F_COMPUTERNAME;
    } else if (pre == 3) {
        c[k++] = IL_F_SITENAME;
        c[k++] = IL_F_COMPUTERNAME;
        c[k++] = IL_F_S_IP;
    }
    c[k++] = IL_F_METHOD;
    c[k++] = IL_F_URI_STEM;
    c[k++] = IL_F_URI_QUERY;
    c[k++] = IL_F_S_PORT;
    c[k++] = IL_F_USERNAME;
    if (k >= n || !is_ipish(t[k]))
        return 0;
    c[k++] = IL_F_C_IP;
    if (k < n && t[k].n > 5 && memcmp(t[k].p, "HTTP/", 5) == 0)
        c[k++] = IL_F_VERSION;
    /* the first status/sub/win32 run after the user agent */
    int s = -1;
    for (int i = k + 1; i + 2 < n; i++)
        if (is_status_tok(t[i]) && is_digits(t[i + 1], 5) && is_digits(t[i + 2], 10)) {
            s = i;
            break;
        }
    if (s < 0)
        return 0;
    int mid = s - k; /* UA [cookie] [referer] [host] */
    static const uint8_t mids[4][4] = {
        {IL_F_UA},
        {IL_F_UA, IL_F_REFERER},
        {IL_F_UA, IL_F_COOKIE, IL_F_REFERER},
        {IL_F_UA, IL_F_COOKIE, IL_F_REFERER, IL_F_HOST}};
    if (mid < 1 || mid > 4)
        return 0;
    for (int i = 0; i < mid; i++)
        c[k++] = mids[mid - 1][i];
    c[k++] = IL_F_STATUS;
    c[k++] = IL_F_SUBSTATUS;
    c[k++] = IL_F_WIN32;
    int rest = n - k; /* [sc-bytes cs-bytes] time-taken [custom...] */
    if (rest >= 3 && is_digits(t[k], 19) && is_digits(t[k + 1], 19) &&
        is_digits(t[k + 2], 19)) {
        c[k++] = IL_F_SC_BYTES;
        c[k++] = IL_F_CS_BYTES;
        c[k++] = IL_F_TIME_TAKEN;
    } else if (rest >= 1 && is_digits(t[k], 19)) {
        c[k++] = IL_F_TIME_TAKEN;
    }
    if (k < n && is_ipish(t[k]))
        c[k++] = IL_F_XFF; /* a custom field IIS appends, usually X-Forwarded-For */
    else if (k < n && t[k].n > 0 && strchr("0123456789abcdefABCDEF:", t[k].p[0]) &&
             memchr(t[k].p, ',', t[k].n))
        c[k++] = IL_F_XFF; /* "ip,+ip" lists */
    while (k < n)
        c[k++] = IL_F_OTHER;
    layout_index(l);
    return 1;
}

#define MAX_TOK IL_MAX_FIELDS

#if !defined(__SSE2__)
/* Bit i set where p[i] is the byte repeated in `rep`, for the 64 bytes at p,
 * eight bytes at a time: the top bit of each matching byte, then those
 * eight bits gathered by one multiply. */
IL_HOT_INLINE uint64_t swar_mask64(const char *p, uint64_t rep)
{
    uint64_t m = 0;
    for (int j = 0; j < 8; j++) {
        uint64_t w = 0;
        for (int b = 0; b < 8; b++) /* byte order independent (one load where it can) */
            w |= (uint64_t)(unsigned char)p[8 * j + b] << (8 * b);
        uint64_t x = w ^ rep;
        uint64_t t = ~(((x & 0x7F7F7F7F7F7F7F7Full) + 0x7F7F7F7F7F7F7F7Full) | x |
                       0x7F7F7F7F7F7F7F7Full);
        m |= (((t >> 7) * 0x0102040810204080ull) >> 56) << (8 * j);
    }
    return m;
}
#endif

#if defined(__SSE2__)
/* Bit i set where p[i] is c, for the 64 bytes at p: sixteen at a time. */
IL_HOT_INLINE uint64_t sse2_mask64(const char *p, char c)
{
    const __m128i want = _mm_set1_epi8(c);
    uint64_t m = 0;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 4
#endif
    for (int j = 0; j < 4; j++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)) << (16 * j);
    }
    return m;
}
#endif

/* Bit i set where p[i] is c, for the 64 bytes at p (portable variant). */
IL_HOT_INLINE uint64_t byte_mask64(const char *p, char c)
{
#if defined(__SSE2__)
    return sse2_mask64(p, c);
#else
    return swar_mask64(p, 0x0101010101010101ull * (unsigned char)c);
#endif
}

/* Bit i set where p[i] is a space, for the 64 bytes at p. */
IL_HOT_INLINE uint64_t spaces64(const char *p)
{
    return byte_mask64(p, ' ');
}

IL_HOT_INLINE int popcount64(uint64_t x)
{
#if defined(__POPCNT__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* Append base + the position of every set bit of m to end[k...]; returns
 * the new k. Eight positions are written whatever m holds (those past its
 * bits are garbage that later writes or the caller's k ignore), so a line
 * costs a few predictable branches instead of one per value: end[] needs 64
 * spare entries past k. */
IL_HOT_INLINE int flatten(uint32_t *end, int k, uint32_t base, uint64_t m)
{
    int cnt = popcount64(m);
    uint32_t *o = end + k;
    do {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 8
#endif
        for (int j = 0; j < 8; j++) {
            /* | top bit: defined when m is spent (position 63, ignored) */
            o[j] = base + (uint32_t)__builtin_ctzll(m | 0x8000000000000000ull);
            m &= m - 1;
        }
        o += 8;
    } while (m);
    return k + cnt;
}

/* Column c of a line split at end[]: as logged, and with "-" as empty. */
IL_HOT_INLINE il_str colraw(const char *line, const uint32_t *end, int c)
{
    size_t s = (uint32_t)(end[c - 1] + 1u); /* end[-1] is UINT32_MAX: 0 */
    return (il_str){line + s, end[c] - s};
}

IL_HOT_INLINE il_str col(const char *line, const uint32_t *end, int c)
{
    if (c < 0)
        return (il_str){NULL, 0};
    il_str v = colraw(line, end, c);
    return v.n == 1 && v.p[0] == '-' ? (il_str){NULL, 0} : v;
}

/* The body of a splitter: end[] gets the offset of every space of
 * line[0..n) (n < 2^32); -1 past MAX_TOK of them. The last 1..63 bytes are
 * read as the 64 that end the line (shifted past those already done), or
 * from a zero-padded copy when the whole line is shorter. */
#define SPLIT_SPACES_BODY(SPACES64, FLATTEN)                                    \
    int k = 0;                                                                  \
    size_t i = 0;                                                               \
    for (; i + 64 <= n; i += 64) {                                              \
        k = FLATTEN(end, k, (uint32_t)i, SPACES64(line + i));                   \
        if (k > MAX_TOK)                                                        \
            return -1;                                                          \
    }                                                                           \
    if (i < n) {                                                                \
        size_t rem = n - i;                                                     \
        uint64_t m;                                                             \
        if (n >= 64) {                                                          \
            m = SPACES64(line + n - 64) >> (64 - rem);                          \
        } else {                                                                \
            char tmp[64];                                                       \
            memset(tmp, 0, sizeof tmp);                                         \
            memcpy(tmp, line, n);                                               \
            m = SPACES64(tmp);                                                  \
        }                                                                       \
        k = FLATTEN(end, k, (uint32_t)i, m);                                    \
        if (k > MAX_TOK)                                                        \
            return -1;                                                          \
    }                                                                           \
    return k;

static int split_portable(const char *line, size_t n, uint32_t *end)
{
    SPLIT_SPACES_BODY(spaces64, flatten)
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(_WIN32) && !defined(IL_NO_AVX2)
/* The same with AVX2 compares and the BMI/POPCNT bit instructions, for the
 * CPUs that have them (x86-64-v3: Intel since 2013, AMD since 2015); chosen
 * once at run time, so the binary still runs on any x86-64. Not on Windows:
 * mingw-w64 gcc may spill AVX registers to stack slots it has not aligned
 * to 32 bytes (gcc bug 54412). */
#include <immintrin.h>
#define IL_SPLIT_AVX2 1
#if __GNUC__ >= 9 || defined(__clang__)
#define IL_SCAN_AVX512 1 /* scan_avx512 below */
#endif

__attribute__((target("avx2,bmi,popcnt"), always_inline)) static inline uint64_t
avx2_mask64(const char *p, char c)
{
    const __m256i want = _mm256_set1_epi8(c);
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, want));
    uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, want));
    return (uint64_t)hi << 32 | lo;
}

__attribute__((target("avx2,bmi,popcnt"), always_inline)) static inline uint64_t
spaces64_avx2(const char *p)
{
    return avx2_mask64(p, ' ');
}

__attribute__((target("avx2,bmi,popcnt"), always_inline)) static inline int
flatten_bmi(uint32_t *end, int k, uint32_t base, uint64_t m)
{
    int cnt = (int)_mm_popcnt_u64(m);
    uint32_t *o = end + k;
    do {
#if !defined(__clang__)
#pragma GCC unroll 8
#endif
        for (int j = 0; j < 8; j++) { /* tzcnt of a spent m is 64: ignored */
            o[j] = base + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
        }
        o += 8;
    } while (m);
    return k + cnt;
}

__attribute__((target("avx2,bmi,popcnt"))) static int
split_avx2(const char *line, size_t n, uint32_t *end)
{
    SPLIT_SPACES_BODY(spaces64_avx2, flatten_bmi)
}
#endif

/* The variant in use: 0 portable, 1 AVX2/BMI, 2 the same plus the AVX-512
 * line scanner; -1: not yet asked. Set once; a race between threads writes
 * the same value. */
static int split_kind = -1;

static int pick_split(void)
{
#if defined(IL_SPLIT_AVX2)
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
          __builtin_cpu_supports("popcnt")))
        return 0;
#if defined(IL_SCAN_AVX512)
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vbmi2"))
        return 2;
#endif
    return 1;
#else
    return 0;
#endif
}

int il_logfmt_simd(int use)
{
    int have = pick_split();
    if (use >= 0)
        __atomic_store_n(&split_kind, use < have ? use : have, __ATOMIC_RELAXED);
    return have;
}

/* Bit i set where p[i] is a line feed, for the 64 bytes at p. */
IL_HOT_INLINE uint64_t newlines64(const char *p)
{
    return byte_mask64(p, '\n');
}

/* The body of a line scanner (il_w3c_scan): whole 64-byte blocks only,
 * so it never reads past avail; -1 when the line end is not in them. */
#define SCAN_LINE_BODY(SPACES64, NEWLINES64, FLATTEN)                           \
    int k = 0;                                                                  \
    for (size_t i = 0; i + 64 <= avail && i <= max; i += 64) {                  \
        uint64_t nl = NEWLINES64(p + i), sp = SPACES64(p + i);                  \
        if (nl) {                                                               \
            unsigned pos = (unsigned)__builtin_ctzll(nl);                      \
            sp &= ((uint64_t)1 << pos) - 1; /* pos < 64 */                      \
            k = FLATTEN(end, k, (uint32_t)i, sp);                               \
            *len = i + pos;                                                     \
            return k > MAX_TOK ? -1 : k;                                        \
        }                                                                       \
        k = FLATTEN(end, k, (uint32_t)i, sp);                                   \
        if (k > MAX_TOK)                                                        \
            return -1;                                                          \
    }                                                                           \
    return -1;

static int scan_portable(const char *p, size_t avail, size_t max, uint32_t *end, size_t *len)
{
    SCAN_LINE_BODY(spaces64, newlines64, flatten)
}

#if defined(IL_SPLIT_AVX2)
__attribute__((target("avx2,bmi,popcnt"), always_inline)) static inline uint64_t
newlines64_avx2(const char *p)
{
    return avx2_mask64(p, '\n');
}

__attribute__((target("avx2,bmi,popcnt"))) static int
scan_avx2(const char *p, size_t avail, size_t max, uint32_t *end, size_t *len)
{
    SCAN_LINE_BODY(spaces64_avx2, newlines64_avx2, flatten_bmi)
}
#endif

#if defined(IL_SCAN_AVX512)
/* The scanner with AVX-512 (Intel since Ice Lake, AMD since Zen 4): one
 * compare per 64 bytes, and VBMI2's byte compress turns the space mask into
 * the list of their offsets without a loop over bits. */
__attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi,bmi2,popcnt"))) static int
scan_avx512(const char *p, size_t avail, size_t max, uint32_t *end, size_t *len)
{
    static const unsigned char iota[64] = {
        0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
        44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};
    const __m512i idx = _mm512_loadu_si512((const void *)iota);
    const __m512i sp = _mm512_set1_epi8(' '), nl = _mm512_set1_epi8('\n');
    int k = 0;
    for (size_t i = 0; i + 64 <= avail && i <= max; i += 64) {
        __m512i v = _mm512_loadu_si512((const void *)(p + i));
        uint64_t ms = _mm512_cmpeq_epi8_mask(v, sp);
        uint64_t mn = _mm512_cmpeq_epi8_mask(v, nl);
        unsigned pos = 64;
        if (mn) {
            pos = (unsigned)_tzcnt_u64(mn);
            ms = _bzhi_u64(ms, pos);
        }
        /* offsets of the spaces, packed into the low bytes; written 16 at a
         * time (entries past the count are garbage the count ignores) */
        __m512i off = _mm512_maskz_compress_epi8(ms, idx);
        __m512i base = _mm512_set1_epi32((int)i);
        int cnt = (int)_mm_popcnt_u64(ms);
        uint32_t *o = end + k;
        _mm512_storeu_si512((void *)o,
                            _mm512_add_epi32(base, _mm512_cvtepu8_epi32(_mm512_castsi512_si128(off))));
        for (int j = 1; j * 16 < cnt; j++) { /* rare: more than 16 spaces in 64 bytes */
            __m128i q = j == 1 ? _mm512_extracti32x4_epi32(off, 1)
                      : j == 2 ? _mm512_extracti32x4_epi32(off, 2)
                               : _mm512_extracti32x4_epi32(off, 3);
            _mm512_storeu_si512((void *)(o + 16 * j), _mm512_add_epi32(base, _mm512_cvtepu8_epi32(q)));
        }
        k += cnt;
        if (pos < 64) {
            *len = i + pos;
            return k > MAX_TOK ? -1 : k;
        }
        if (k > MAX_TOK)
            return -1;
    }
    return -1;
}
#endif

il_w3c_scan_fn il_w3c_scanner(void)
{
    int kind = __atomic_load_n(&split_kind, __ATOMIC_RELAXED);
    if (kind < 0) {
        kind = pick_split();
        __atomic_store_n(&split_kind, kind, __ATOMIC_RELAXED);
    }
#if defined(IL_SCAN_AVX512)
    if (kind == 2)
        return scan_avx512;
#endif
#if defined(IL_SPLIT_AVX2)
    if (kind)
        return scan_avx2;
#endif
    return scan_portable;
}

int il_w3c_scan(const char *p, size_t avail, size_t max, uint32_t *end, size_t *len)
{
    return il_w3c_scanner()(p, avail, max, end, len);
}

IL_HOT_INLINE int split_spaces(const char *line, size_t n, uint32_t *end)
{
    int kind = __atomic_load_n(&split_kind, __ATOMIC_RELAXED);
    if (kind < 0) {
        kind = pick_split();
        __atomic_store_n(&split_kind, kind, __ATOMIC_RELAXED);
    }
#if defined(IL_SPLIT_AVX2)
    if (kind)
        return split_avx2(line, n, end);
#endif
    return split_portable(line, n, end);
}

IL_HOT_INLINE int parse_w3c(const char *line, size_t n, const il_layout *l,
                         il_format kind, il_rec *r, int lean, il_str *cols, int *ncol);

int il_parse_w3c(const char *line, size_t n, const il_layout *l,
                 il_format kind, il_rec *r)
{
    return parse_w3c(line, n, l, kind, r, 0, NULL, NULL);
}

int il_parse_w3c_lean(const char *line, size_t n, const il_layout *l,
                      il_format kind, il_rec *r)
{
    return parse_w3c(line, n, l, kind, r, 1, NULL, NULL);
}

int il_parse_w3c_cols(const char *line, size_t n, const il_layout *l,
                      il_format kind, il_rec *r, il_str *cols, int *ncol)
{
    return parse_w3c(line, n, l, kind, r, 0, cols, ncol);
}

IL_HOT_INLINE int parse_w3c_at(const char *line, size_t n, uint32_t *end, int k,
                            const il_layout *l, il_format kind, il_rec *r, int lean,
                            il_str *cols, int *ncol);

IL_HOT_INLINE int parse_w3c(const char *line, size_t n, const il_layout *l,
                         il_format kind, il_rec *r, int lean, il_str *cols, int *ncol)
{
    /* IIS writes exactly one space between values: record where each value
     * ends (end[c] is the offset of the space after column c, or n). The
     * spaces of 64 bytes at a time become one bit mask, written out without
     * a branch per value (see flatten); end[] has room for the overrun. */
    uint32_t ebuf[1 + IL_SCAN_END_CAP], *end = ebuf + 1;
    ebuf[0] = UINT32_MAX; /* end[-1]: column 0 starts at 0 */
    if (n > UINT32_MAX)
        return IL_BAD_TOO_LONG;
    int k = split_spaces(line, n, end);
    if (k < 0)
        return IL_BAD_FIELD_COUNT;
    return parse_w3c_at(line, n, end, k, l, kind, r, lean, cols, ncol);
}

int il_parse_w3c_scanned(const char *line, size_t n, uint32_t *end, int k,
                         const il_layout *l, il_format kind, il_rec *r)
{
    return parse_w3c_at(line, n, end, k, l, kind, r, 1, NULL, NULL);
}

/* parse_w3c once the spaces of line[0..n) are in end[0..k) */
IL_HOT_INLINE int parse_w3c_at(const char *line, size_t n, uint32_t *end, int k,
                            const il_layout *l, il_format kind, il_rec *r, int lean,
                            il_str *cols, int *ncol)
{
    /* the last value; a trailing space adds no empty one */
    size_t st = k ? end[k - 1] + 1 : 0;
    if (st < n || k == 0) {
        if (k == MAX_TOK)
            return IL_BAD_FIELD_COUNT;
        end[k++] = (uint32_t)n;
    }
#define COL_START(c) ((size_t)(uint32_t)(end[(c) - 1] + 1u))

    il_layout guessed;
    if (l == NULL || l->n == 0) {
        il_str t[MAX_TOK];
        for (int c = 0; c < k; c++) {
            t[c].p = line + COL_START(c);
            t[c].n = end[c] - COL_START(c);
        }
        if (!guess_layout(t, k, kind, &guessed))
            return IL_BAD_NO_LAYOUT;
        l = &guessed;
    } else if (k != l->n) {
        return IL_BAD_FIELD_COUNT;
    }
    if (cols) {
        for (int c = 0; c < k; c++) {
            cols[c].p = line + COL_START(c);
            cols[c].n = end[c] - COL_START(c);
        }
        *ncol = k;
    }

    /* every field of *r is assigned below (no memset: this is the hot path) */
    r->kind = (uint8_t)(l->httperr ? IL_FMT_HTTPERR : l->ftp || kind == IL_FMT_FTP ? IL_FMT_FTP : IL_FMT_W3C);
    const int8_t *at = l->at;
#define F(id) col(line, end, at[id])
    r->t = INT64_MIN;
    if (at[IL_F_TIME] >= 0 && (at[IL_F_DATE] >= 0 || l->has_date)) {
        il_str d = at[IL_F_DATE] >= 0 ? colraw(line, end, at[IL_F_DATE]) : (il_str){l->date, 10};
        il_str tm = colraw(line, end, at[IL_F_TIME]);
        if (!same_stamp(d, tm, &r->t))
            r->t = parse_time_fresh(d, tm);
        if (r->t == INT64_MIN)
            return IL_BAD_TIME;
    }
    /* one assignment each: a chain (a = b = x) makes gcc read b back
     * from memory, which stalls on the store it just made */
    r->status = -1;
    r->sub = -1;
    r->win32 = -1;
    r->taken = -1;
    r->sc_bytes = -1;
    r->cs_bytes = -1;
    int64_t v;
    /* sc-status "-" (FTP pseudo-commands, HTTPERR timeouts) or a layout
     * without it: the record counts, with no status */
    il_str s = F(IL_F_STATUS);
    if (s.n) {
        if (!parse_num_at(line, s, 999, &v))
            return IL_BAD_STATUS;
        r->status = (int32_t)v;
    }
    s = F(IL_F_SUBSTATUS);
    if (s.n) {
        if (!parse_num_at(line, s, 99999, &v))
            return IL_BAD_NUMBER;
        r->sub = (int32_t)v;
    }
    s = F(IL_F_WIN32);
    if (s.n) {
        if (!parse_num_at(line, s, 4294967295LL, &v)) {
            il_win32 w; /* some tools rewrite it signed or as hex */
            if (il_win32_parse(s.p, s.n, &w) != IL_OK)
                return IL_BAD_NUMBER;
            v = w.raw;
        }
        r->win32 = v;
    }
    s = F(IL_F_TIME_TAKEN);
    if (s.n && !parse_num_at(line, s, INT64_MAX, &r->taken))
        return IL_BAD_NUMBER;
    if (!l->plain) { /* else neither is logged */
        s = F(IL_F_SC_BYTES);
        if (s.n && !parse_num_at(line, s, INT64_MAX, &r->sc_bytes))
            return IL_BAD_NUMBER;
        s = F(IL_F_CS_BYTES);
        if (s.n && !parse_num_at(line, s, INT64_MAX, &r->cs_bytes))
            return IL_BAD_NUMBER;
    }
    r->uri = at[IL_F_URI_STEM] >= 0 ? F(IL_F_URI_STEM) : F(IL_F_URI);
    r->query = F(IL_F_URI_QUERY);
    r->method = F(IL_F_METHOD);
    r->client = F(IL_F_C_IP);
    r->ua = F(IL_F_UA);
    if (lean) { /* fields the report does not count */
        r->user = (il_str){NULL, 0};
        r->referer = (il_str){NULL, 0};
        r->host = (il_str){NULL, 0};
        r->version = (il_str){NULL, 0};
    } else {
        r->user = F(IL_F_USERNAME);
        r->referer = F(IL_F_REFERER);
        r->host = F(IL_F_HOST);
        r->version = F(IL_F_VERSION);
    }
    if (l->plain) {
        r->site = (il_str){NULL, 0};
        r->xff = (il_str){NULL, 0};
        r->reason = (il_str){NULL, 0};
    } else {
        r->site = F(IL_F_SITENAME);
        if (!r->site.n)
            r->site = F(IL_F_SITEID);
        r->xff = F(IL_F_XFF);
        r->reason = F(IL_F_REASON);
    }
#undef F
#undef COL_START
    return -1;
}

/* ---- IIS native ------------------------------------------------------------ */

int il_parse_iis(const char *line, size_t n, il_rec *r, int64_t tz_offset)
{
    /* client, user, date, time, service, server, s-ip, time-taken, cs-bytes,
     * sc-bytes, status, win32, method, target, parameters, */
    il_str t[16];
    int k = 0;
    size_t i = 0;
    while (i <= n && k < 16) {
        const char *c = i < n ? memchr(line + i, ',', n - i) : NULL;
        size_t e = c ? (size_t)(c - line) : n;
        t[k].p = line + i;
        t[k].n = e - i;
        k++;
        if (!c)
            break;
        i = e + 1;
        if (i < n && line[i] == ' ')
            i++;
    }
    if (k < 15)
        return IL_BAD_SYNTAX;
    memset(r, 0, sizeof *r);
    r->kind = IL_FMT_IIS;
    r->sub = -1;
    r->cs_bytes = -1; /* one at a time: see parse_w3c_at */
    r->sc_bytes = -1;
    r->taken = -1;
    r->win32 = -1;
    /* date: M/D/YY or M/D/YYYY; time: H:MM:SS */
    unsigned f[3] = {0, 0, 0}, fi = 0, digits = 0;
    for (size_t j = 0; j < t[2].n; j++) {
        char ch = t[2].p[j];
        if (ch == '/') {
            if (++fi > 2 || digits == 0)
                return IL_BAD_TIME;
            digits = 0;
        } else if (ch >= '0' && ch <= '9' && digits < 4) {
            f[fi] = f[fi] * 10 + (unsigned)(ch - '0');
            digits++;
        } else {
            return IL_BAD_TIME;
        }
    }
    if (fi != 2 || digits == 0 || f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 31)
        return IL_BAD_TIME;
    unsigned year = f[2] < 100 ? (f[2] < 70 ? 2000 + f[2] : 1900 + f[2]) : f[2];
    unsigned hms[3] = {0, 0, 0};
    fi = 0;
    digits = 0;
    for (size_t j = 0; j < t[3].n; j++) {
        char ch = t[3].p[j];
        if (ch == ':') {
            if (++fi > 2 || digits == 0)
                return IL_BAD_TIME;
            digits = 0;
        } else if (ch >= '0' && ch <= '9' && digits < 2) {
            hms[fi] = hms[fi] * 10 + (unsigned)(ch - '0');
            digits++;
        } else {
            return IL_BAD_TIME;
        }
    }
    if (fi != 2 || digits == 0 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60)
        return IL_BAD_TIME;
    r->t = il_days_from_civil(year, f[0], f[1]) * 86400 + hms[0] * 3600 +
           hms[1] * 60 + hms[2] - tz_offset;
    int64_t v;
    if (!parse_num(t[10], 999, &v))
        return IL_BAD_STATUS;
    r->status = (int32_t)v;
    if (!is_dash(t[11]) && t[11].n) {
        if (!parse_num(t[11], 4294967295LL, &v))
            return IL_BAD_NUMBER;
        r->win32 = v;
    }
    if (!is_dash(t[7]) && t[7].n && !parse_num(t[7], INT64_MAX, &r->taken))
        return IL_BAD_NUMBER;
    if (!is_dash(t[8]) && t[8].n && !parse_num(t[8], INT64_MAX, &r->cs_bytes))
        return IL_BAD_NUMBER;
    if (!is_dash(t[9]) && t[9].n && !parse_num(t[9], INT64_MAX, &r->sc_bytes))
        return IL_BAD_NUMBER;
#define S(ix) (is_dash(t[ix]) ? (il_str){NULL, 0} : t[ix])
    r->client = S(0);
    r->user = S(1);
    r->site = S(4);
    r->method = S(12);
    r->uri = S(13);
    r->query = S(14);
#undef S
    return -1;
}

/* ---- NCSA common ------------------------------------------------------------ */

static int month_of(const char *p)
{
    static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(m + 3 * i, p, 3) == 0)
            return i + 1;
    return 0;
}

int il_parse_ncsa(const char *line, size_t n, il_rec *r)
{
    /* host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "METHOD uri HTTP/x" status bytes */
    memset(r, 0, sizeof *r);
    r->kind = IL_FMT_NCSA;
    r->sub = -1;
    r->win32 = -1; /* one at a time: see parse_w3c_at */
    r->taken = -1;
    r->cs_bytes = -1;
    r->sc_bytes = -1;
    const char *lb = memchr(line, '[', n);
    if (!lb)
        return IL_BAD_SYNTAX;
    size_t o = (size_t)(lb - line);
    /* host, ident, user before the bracket */
    il_str pre[3];
    int k = 0;
    size_t i = 0;
    while (i < o && k < 3) {
        const char *sp = memchr(line + i, ' ', o - i);
        size_t e = sp ? (size_t)(sp - line) : o;
        pre[k].p = line + i;
        pre[k].n = e - i;
        k++;
        i = e + 1;
    }
    if (k < 3 || n - o < 28 || line[o + 27] != ']')
        return IL_BAD_SYNTAX;
    const char *d = line + o + 1; /* dd/Mon/yyyy:HH:MM:SS +hhmm */
    int day = d2(d), mon = month_of(d + 3), y1 = d2(d + 7), y2 = d2(d + 9),
        h = d2(d + 12), mi = d2(d + 15), se = d2(d + 18), oh = d2(d + 22),
        om = d2(d + 24);
    if (day < 1 || mon == 0 || y1 < 0 || y2 < 0 || h < 0 || h > 23 || mi < 0 ||
        se < 0 || oh < 0 || om < 0 || (d[21] != '+' && d[21] != '-'))
        return IL_BAD_TIME;
    int64_t off = (oh * 3600 + om * 60) * (d[21] == '-' ? -1 : 1);
    r->t = il_days_from_civil(y1 * 100 + y2, (unsigned)mon, (unsigned)day) * 86400 +
           h * 3600 + mi * 60 + se - off;
    i = o + 29;
    if (i >= n || line[i] != '"')
        return IL_BAD_SYNTAX;
    const char *q2 = memchr(line + i + 1, '"', n - i - 1);
    if (!q2)
        return IL_BAD_SYNTAX;
    il_str req = {line + i + 1, (size_t)(q2 - (line + i + 1))};
    const char *sp1 = memchr(req.p, ' ', req.n);
    if (sp1) {
        r->method = (il_str){req.p, (size_t)(sp1 - req.p)};
        const char *rest = sp1 + 1;
        size_t rn = req.n - (size_t)(rest - req.p);
        const char *sp2 = memchr(rest, ' ', rn);
        il_str target = {rest, sp2 ? (size_t)(sp2 - rest) : rn};
        if (sp2)
            r->version = (il_str){sp2 + 1, rn - target.n - 1};
        const char *qm = memchr(target.p, '?', target.n);
        if (qm) {
            r->uri = (il_str){target.p, (size_t)(qm - target.p)};
            r->query = (il_str){qm + 1, target.n - r->uri.n - 1};
        } else {
            r->uri = target;
        }
    }
    i = (size_t)(q2 - line) + 2;
    if (i > n)
        return IL_BAD_SYNTAX;
    const char *sp = memchr(line + i, ' ', n - i);
    il_str st = {line + i, sp ? (size_t)(sp - (line + i)) : n - i};
    int64_t v;
    if (!parse_num(st, 999, &v))
        return IL_BAD_STATUS;
    r->status = (int32_t)v;
    if (sp) {
        il_str by = {sp + 1, n - (size_t)(sp + 1 - line)};
        if (!is_dash(by) && !parse_num(by, INT64_MAX, &r->sc_bytes))
            return IL_BAD_NUMBER;
    }
    r->client = is_dash(pre[0]) ? (il_str){NULL, 0} : pre[0];
    r->user = is_dash(pre[2]) ? (il_str){NULL, 0} : pre[2];
    return -1;
}

/* ---- format detection ---------------------------------------------------------- */

static int path_has(const char *path, const char *word)
{
    /* case-insensitive substring on a folder or file name */
    size_t wl = strlen(word), pl = strlen(path);
    for (size_t i = 0; i + wl <= pl; i++)
        if (il_casecmp(path + i, wl, word, wl) == 0)
            return 1;
    return 0;
}

/* An FTP command as IIS logs it: USER, RETR, ..., "[2]USER" (IIS 4-6
 * session prefix), or the FTP service's own events. */
static int is_ftp_command(il_str m)
{
    static const char *const cmds[] = {
        "USER", "PASS", "RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD",
        "CWD",  "CDUP", "PWD",  "XPWD", "QUIT", "PORT", "PASV", "EPSV", "EPRT",
        "DELE", "MKD",  "XMKD", "RMD",  "RNFR", "RNTO", "SIZE", "MDTM", "TYPE",
        "FEAT", "OPTS", "SYST", "AUTH", "PBSZ", "PROT", "NOOP", "ABOR", "REST",
        "sent", "created", "ControlChannelOpened", "ControlChannelClosed",
        "DataChannelOpened", "DataChannelClosed"};
    if (m.n > 2 && m.p[0] == '[') { /* [N]COMMAND */
        const char *rb = memchr(m.p, ']', m.n);
        if (!rb)
            return 0;
        m.n -= (size_t)(rb + 1 - m.p);
        m.p = rb + 1;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (il_casecmp(m.p, m.n, cmds[i], strlen(cmds[i])) == 0 &&
            strcmp(cmds[i], "sent") && strcmp(cmds[i], "created"))
            return 1;
    return 0;
}

il_format il_detect_format(const char *head, size_t n, const char *path)
{
    /* look at the first few non-empty lines */
    size_t i = 0;
    int lines = 0, have_layout = 0;
    il_layout lay;
    memset(&lay, 0, sizeof lay);
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && lines < 8) {
        const char *nl = memchr(head + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - head) : n;
        size_t len = e - i;
        if (len && head[i + len - 1] == '\r')
            len--;
        const char *s = head + i;
        i = e + 1;
        if (len == 0)
            continue;
        lines++;
        if (s[0] == '#') {
            if (len > 10 && il_casecmp(s, 10, "#Software:", 10) == 0 &&
                (il_memmem(s, len, "HTTP API", 8) != NULL))
                return IL_FMT_HTTPERR;
            if (len > 8 && il_casecmp(s, 8, "#Fields:", 8) == 0) {
                if (il_layout_parse(&lay, s + 8, len - 8)) {
                    if (lay.httperr)
                        return IL_FMT_HTTPERR;
                    if (lay.ftp || path_has(path, "FTPSVC"))
                        return IL_FMT_FTP;
                    have_layout = 1; /* decide on the first data line */
                    continue;
                }
                return IL_FMT_W3C;
            }
            continue;
        }
        if (have_layout) {
            /* FTP logs without x-session (IIS 4-6): the commands tell */
            int mc = lay.at[IL_F_METHOD];
            il_rec r;
            if (mc >= 0 && il_parse_w3c(s, len, &lay, IL_FMT_W3C, &r) == -1 &&
                is_ftp_command(r.method))
                return IL_FMT_FTP;
            return IL_FMT_W3C;
        }
        if (len >= 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':') {
            il_rec r;
            if (il_parse_w3c(s, len, NULL, IL_FMT_W3C, &r) == -1)
                return r.kind == IL_FMT_HTTPERR ? IL_FMT_HTTPERR
                       : r.kind == IL_FMT_FTP || path_has(path, "FTPSVC") ? IL_FMT_FTP
                                                                           : IL_FMT_W3C;
            if (path_has(path, "HTTPERR") || path_has(path, "httperr"))
                return IL_FMT_HTTPERR;
            if (path_has(path, "FTPSVC"))
                return IL_FMT_FTP;
            return IL_FMT_W3C;
        }
        il_rec r;
        if (il_memmem(s, len, ", ", 2) && il_parse_iis(s, len, &r, 0) == -1)
            return IL_FMT_IIS;
        if (memchr(s, '[', len) && il_parse_ncsa(s, len, &r) == -1)
            return IL_FMT_NCSA;
        if (s[0] >= '0' && s[0] <= '9' && len > 8 && s[2] == ':')
            return path_has(path, "FTPSVC") ? IL_FMT_FTP : IL_FMT_W3C;
    }
    if (path_has(path, "HTTPERR"))
        return IL_FMT_HTTPERR;
    return IL_FMT_UNKNOWN;
}

int il_split_w3c(const char *line, size_t n, il_str *cols, int max)
{
    int k = 0;
    size_t st = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && line[i] != ' ')
            continue;
        if (i == n && st == n && k > 0)
            break; /* a trailing space adds no empty value */
        if (k == max)
            return -1;
        cols[k].p = line + st;
        cols[k].n = i - st;
        k++;
        st = i + 1;
    }
    return k;
}

int il_layout_guess(const char *line, size_t n, il_format kind, il_layout *l)
{
    il_str t[MAX_TOK];
    int k = il_split_w3c(line, n, t, MAX_TOK);
    return k > 0 && guess_layout(t, k, kind, l);
}
