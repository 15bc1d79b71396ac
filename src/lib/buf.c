/*
 * buf.c - il_buf, the capped growable byte buffer every renderer writes
 * into, and the escapers that make attacker-controlled text safe for JSON,
 * for terminals and for CSV.
 *
 * Ownership: the il_buf owns `data`; il_buf_free() releases it. A buffer
 * never grows past its limit: appends that would are dropped whole and set
 * `overflow`, so callers check once at the end instead of after each call.
 */
#include "iislens.h"
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IL_BUF_DEFAULT_LIMIT ((size_t)64 << 20)

void il_buf_init(il_buf *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

void il_buf_free(il_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

void il_buf_reset(il_buf *b)
{
    b->len = 0;
    b->overflow = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Make room for n more bytes plus the NUL. Returns 0 when it cannot. */
static int reserve(il_buf *b, size_t n)
{
    size_t limit = b->limit ? b->limit : IL_BUF_DEFAULT_LIMIT;
    if (b->overflow)
        return 0;
    if (n > limit || b->len > limit - n) {
        b->overflow = 1;
        return 0;
    }
    if (b->len + n + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2; /* cannot overflow: bounded by limit + 1 <= 64 MiB-ish */
    char *p = realloc(b->data, cap);
    if (!p) {
        b->overflow = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void il_buf_append(il_buf *b, const char *s, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void il_buf_puts(il_buf *b, const char *s)
{
    il_buf_append(b, s, strlen(s));
}

void il_buf_putc(il_buf *b, char c)
{
    il_buf_append(b, &c, 1);
}

void il_buf_printf(il_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        il_buf_append(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

size_t il_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0x3Fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void il_buf_json_str(il_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* copy the longest stretch that needs no escaping */
        while (run < n && p[run] >= 0x20 && p[run] < 0x7F && p[run] != '"' &&
               p[run] != '\\')
            run++;
        il_buf_append(b, s + i, run - i);
        i = run;
        if (i >= n)
            break;
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            il_buf_append(b, e, 2);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            il_buf_append(b, e, 6);
            i++;
        } else {
            size_t len = il_utf8_seq(p + i, n - i);
            if (len) {
                /* Also escape U+2028/2029 so the JSON is safe inside JS. */
                if (len == 3 && p[i] == 0xE2 && p[i + 1] == 0x80 &&
                    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
                    il_buf_puts(b, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
                } else if (len == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
                    /* C1 controls: valid JSON raw, but a terminal would obey */
                    char e[6] = {'\\', 'u', '0', '0', hex[p[i + 1] >> 4], hex[p[i + 1] & 15]};
                    il_buf_append(b, e, 6);
                } else {
                    il_buf_append(b, s + i, len);
                }
                i += len;
            } else {
                il_buf_puts(b, "\\ufffd");
                i++;
            }
        }
    }
}

void il_buf_term_str(il_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7F && p[run] != '\\')
            run++;
        il_buf_append(b, s + i, run - i);
        i = run;
        if (i >= n)
            break;
        unsigned c = p[i];
        size_t len = c >= 0x80 ? il_utf8_seq(p + i, n - i) : 0;
        /* C1 controls (U+0080..U+009F) arrive as C2 80..C2 9F. */
        if (len > 1 && !(len == 2 && c == 0xC2 && p[i + 1] < 0xA0)) {
            il_buf_append(b, s + i, len);
            i += len;
            continue;
        }
        if (c == '\\') {
            il_buf_puts(b, "\\\\");
            i++;
            continue;
        }
        if (len == 2) { /* a C1 control: show its code point */
            char e[4] = {'\\', 'x', hex[p[i + 1] >> 4], hex[p[i + 1] & 15]};
            il_buf_append(b, e, 4);
            i += 2;
            continue;
        }
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        il_buf_append(b, e, 4);
        i++;
    }
}

void il_buf_csv_str(il_buf *b, const char *s, size_t n)
{
    il_buf_putc(b, '"');
    if (n && strchr("=+-@\t\r", s[0]))
        il_buf_putc(b, '\''); /* never a spreadsheet formula */
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c == '"') {
            il_buf_puts(b, "\"\"");
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            il_buf_putc(b, '?');
            i++;
        } else if (c < 0x80) {
            il_buf_putc(b, (char)c);
            i++;
        } else {
            size_t len = il_utf8_seq(p + i, n - i);
            if (len == 0 || (len == 2 && c == 0xC2 && p[i + 1] < 0xA0)) {
                il_buf_putc(b, '?');
                i += len ? len : 1;
            } else {
                il_buf_append(b, s + i, len);
                i += len;
            }
        }
    }
    il_buf_putc(b, '"');
}

const char *il_memmem(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0)
        return hay;
    while (hn >= nn) {
        const char *p = memchr(hay, needle[0], hn - nn + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, nn) == 0)
            return p;
        hn -= (size_t)(p - hay) + 1;
        hay = p + 1;
    }
    return NULL;
}
