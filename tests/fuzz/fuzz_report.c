/*
 * fuzz_report.c - libFuzzer target for the report's writers on logs an
 * attacker wrote: the input (after one option byte) is written to a
 * temporary log file, read by the engine, built into a report and written
 * in every format: text without and with colour, JSON, each CSV table and
 * the HTML page. Checks, for whatever bytes the log holds:
 *   - JSON: one valid value, and valid UTF-8;
 *   - text: valid UTF-8 with no control character but newline (no C0, DEL
 *     or C1); with colour, ESC only as our own "ESC [ digits ; m" sequences;
 *   - CSV: records of fields that are bare (no quote, comma or control) or
 *     quoted with doubled inner quotes, no control character inside a
 *     field, valid UTF-8, and no field a spreadsheet would run as a formula
 *     (= + - @ first);
 *   - HTML: the template around one data block that holds no '<' and parses
 *     as JSON.
 * A finding is abort(), so libFuzzer keeps the input.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "engine.h"
#include "internal.h"
#include "report.h"
#include "../unit/json_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the UTF-8 sequence at p[0..n) (shortest form, no surrogates,
 * at most U+10FFFF), 0 when it is not one. Written here, apart from the
 * library's, so the check does not share the writers' mistakes. */
static size_t utf8_len(const unsigned char *p, size_t n)
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
    if (c == 0xE0 && p[1] < 0xA0)
        return 0; /* overlong */
    if (c == 0xED && p[1] >= 0xA0)
        return 0; /* surrogate */
    if (c == 0xF0 && p[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && p[1] >= 0x90)
        return 0; /* past U+10FFFF */
    return len;
}

static void check_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(p + i, n - i);
        if (len == 0)
            abort();
        i += len;
    }
}

/* Text for a terminal: no control character but newline; with colour,
 * ESC only as ESC [ (digits | ;)* m. */
static void check_text(const char *s, size_t n, int color)
{
    const unsigned char *p = (const unsigned char *)s;
    check_utf8(s, n);
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

/* One CSV table (RFC 4180, CRLF or LF line ends). */
static void check_csv(const char *s, size_t n)
{
    check_utf8(s, n);
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
            /* bare fields are our numbers and names: never a formula, but a
             * negative number is a number */
            if (i > start && (s[start] == '=' || s[start] == '+' || s[start] == '@'))
                abort();
            if (i > start && s[start] == '-' && (i - start == 1 || s[start + 1] < '0' || s[start + 1] > '9'))
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

/* The page: the template, the data block, the template's end. */
static void check_html(const char *s, size_t n)
{
    static const char open[] = "<script type=\"application/json\" id=\"data\">";
    const char *a = il_memmem(s, n, open, sizeof open - 1);
    if (!a)
        abort();
    const char *d = a + sizeof open - 1;
    const char *end = il_memmem(d, n - (size_t)(d - s), "</script>", 9);
    if (!end)
        abort();
    size_t dn = (size_t)(end - d);
    if (memchr(d, '<', dn) || !json_valid(d, dn))
        abort();
    check_utf8(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned opt = data[0];
    data++;
    size--;
    char path[] = "/tmp/iislens-fuzz-XXXXXX.log";
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    il_engine_opts eo;
    il_engine_default_opts(&eo);
    eo.threads = 1;
    eo.max_line = 1024;
    il_run run;
    char err[256];
    const char *paths[] = {path};
    if (il_engine_run(paths, 1, &eo, &run, err, sizeof err) != IL_OK) {
        unlink(path);
        return 0;
    }
    il_report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.top = 1 + (opt & 7);
    ro.width = opt & 8 ? 40 + (opt >> 4) * 7 : 0;
    ro.tz_offset = opt & 0x80 ? -(int64_t)(opt & 0x70) * 450 : 0;
    ro.tz_name = ro.tz_offset ? "-hh:mm" : "UTC";
    il_report *rep = il_report_build(&run, &ro);
    if (!rep)
        abort();
    il_buf out;
    il_buf_init(&out, 0);

    il_report_json(&out, rep);
    if (out.overflow || !json_valid(out.data, out.len))
        abort();
    check_utf8(out.data, out.len);

    il_buf_reset(&out);
    il_report_text(&out, rep);
    check_text(out.data, out.len, 0);

    il_buf_reset(&out);
    il_report_html(&out, rep);
    check_html(out.data, out.len);

    for (const char *const *t = il_report_csv_tables(); *t; t++) {
        il_buf_reset(&out);
        if (!il_report_csv(&out, rep, *t))
            abort();
        check_csv(out.data, out.len);
    }
    il_report_free(rep);

    ro.color = 1;
    rep = il_report_build(&run, &ro);
    if (!rep)
        abort();
    il_buf_reset(&out);
    il_report_text(&out, rep);
    check_text(out.data, out.len, 1);
    il_report_free(rep);

    il_buf_free(&out);
    il_run_free(&run);
    unlink(path);
    return 0;
}
