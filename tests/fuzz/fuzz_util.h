/*
 * fuzz_util.h - what several libFuzzer targets share: writing the input to
 * a temporary log file, and the checks of each output's escaping contract
 * (terminal text, CSV, UTF-8). The checks are written here, apart from the
 * library's escapers, so that they do not share the escapers' mistakes; a
 * failed check is abort(), so libFuzzer keeps the input.
 */
#ifndef IISLENS_FUZZ_UTIL_H
#define IISLENS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to a new file named from path ("/tmp/...-XXXXXX.log", six X
 * before a 4-byte suffix, rewritten in place); 1 when written, else 0 and
 * no file is left. The caller unlinks it. */
static inline int fuzz_write_tmp(char *path, const uint8_t *data, size_t size)
{
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    return 1;
}

/* Take the input's first byte (options) into *b; 0 when there is none. */
static inline int fuzz_take_byte(const uint8_t **data, size_t *size, unsigned *b)
{
    if (*size == 0)
        return 0;
    *b = **data;
    (*data)++;
    (*size)--;
    return 1;
}

/* Length of the UTF-8 sequence at p[0..n) (shortest form, no surrogates,
 * at most U+10FFFF), 0 when it is not one. */
static inline size_t fuzz_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
        (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
        return 0; /* overlong, surrogate, past U+10FFFF */
    return len;
}

static inline void fuzz_check_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t len = fuzz_utf8_len((const unsigned char *)s + i, n - i);
        if (len == 0)
            abort();
        i += len;
    }
}

/* Text for a terminal: valid UTF-8 with no control character but newline
 * (no C0, DEL or C1); with colour, ESC only as ESC [ (digits | ;)* m. */
static inline void fuzz_check_text(const char *s, size_t n, int color)
{
    const unsigned char *p = (const unsigned char *)s;
    fuzz_check_utf8(s, n);
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == 0x1B && color) {
            size_t j = i + 1;
            if (j >= n || p[j] != '[')
                abort();
            j++;
            while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ';'))
                j++;
            if (j >= n || p[j] != 'm')
                abort();
            i = j;
            continue;
        }
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            abort();
        if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] < 0xA0)
            abort(); /* a C1 control */
    }
}

/* CSV (RFC 4180, CRLF or LF line ends), valid UTF-8: fields bare (no
 * quote, comma or control; a number or a header name, so a leading - only
 * before a digit) or quoted with doubled inner quotes and no control
 * character; no field a spreadsheet would run as a formula (= + - @ first
 * inside quotes; = + @ first bare). */
static inline void fuzz_check_csv(const char *s, size_t n)
{
    fuzz_check_utf8(s, n);
    size_t i = 0;
    while (i < n) { /* one field */
        if (s[i] == '"') {
            i++;
            if (i < n && (s[i] == '=' || s[i] == '+' || s[i] == '-' || s[i] == '@'))
                abort();
            for (;;) {
                if (i >= n)
                    abort(); /* unterminated */
                unsigned char c = (unsigned char)s[i];
                if (c < 0x20 || c == 0x7F)
                    abort();
                if (c == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                i++;
            }
        } else {
            size_t start = i;
            while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
                unsigned char c = (unsigned char)s[i];
                if (c == '"' || c < 0x20 || c == 0x7F)
                    abort();
                i++;
            }
            if (i > start && (s[start] == '=' || s[start] == '+' || s[start] == '@'))
                abort();
            if (i > start && s[start] == '-' &&
                (i - start == 1 || s[start + 1] < '0' || s[start + 1] > '9'))
                abort();
        }
        if (i >= n)
            break;
        if (s[i] == ',') {
            i++;
            continue;
        }
        if (s[i] == '\r')
            i++;
        if (i >= n || s[i] != '\n')
            abort(); /* something after a quoted field */
        i++;
    }
}

#endif
