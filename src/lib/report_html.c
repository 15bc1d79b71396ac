/*
 * report_html.c - `iislens report --format html`: one self-contained page.
 *
 * The page is the template data/html/report.html (made into C arrays with
 * its Content-Security-Policy hashes by tools/gen_html.c) with the report's
 * JSON, as il_report_json() writes it, in a <script type="application/json">
 * data block. The page's own script draws everything from that data.
 *
 * The JSON already escapes every log string for JSON. Inside an HTML script
 * element it must also never contain "</script", "<!--" or the like, so the
 * copy writes <, > and & as \u003c, \u003e and \u0026 (they only occur
 * inside JSON strings, where those escapes mean the same characters), and
 * U+2028/U+2029 as \u2028/\u2029. JSON.parse in the page gives back exactly
 * the report's JSON values.
 *
 * Size: every string longer than IL_HTML_STR_MAX bytes of JSON text (a URL
 * or user agent can be as long as a log line) is cut at a character
 * boundary and ends in U+2026, so the page stays small whatever the logs
 * hold; no string of the report on ordinary logs comes near it.
 */
#include "report.h"

#include <stddef.h>
#include <string.h>

extern const unsigned char il_html_head[];
extern const size_t il_html_head_len;
extern const unsigned char il_html_tail[];
extern const size_t il_html_tail_len;

#define IL_HTML_STR_MAX 1024

/* Bytes of the JSON element starting at p[i]: an escape, a UTF-8 character or one byte. */
static size_t elem_len(const unsigned char *p, size_t i, size_t n)
{
    size_t k = 1;
    if (p[i] == '\\')
        k = i + 1 < n && p[i + 1] == 'u' ? 6 : 2;
    else if (p[i] >= 0xF0)
        k = 4;
    else if (p[i] >= 0xE0)
        k = 3;
    else if (p[i] >= 0xC0)
        k = 2;
    return k < n - i ? k : n - i;
}

/* Copy JSON text into a script data block (see the top of the file). */
static void copy_json(il_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int in_str = 0;
    size_t used = 0;  /* output bytes of the current string so far */
    size_t start = 0; /* first byte not yet copied */
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c == '"') {
            in_str = !in_str;
            used = 0;
            i++;
            continue;
        }
        size_t len = elem_len(p, i, n);
        const char *rep = NULL;
        if (c == '<' || c == '>' || c == '&')
            rep = c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : "\\u0026";
        else if (len == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
            rep = p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
        size_t out_len = rep ? 6 : len;
        if (in_str && used + out_len > IL_HTML_STR_MAX) {
            /* an over-long string ends here with U+2026; skip to its closing quote */
            il_buf_append(out, s + start, i - start);
            il_buf_puts(out, "\\u2026");
            while (i < n && p[i] != '"')
                i += elem_len(p, i, n);
            start = i;
            continue;
        }
        if (rep) {
            il_buf_append(out, s + start, i - start);
            il_buf_puts(out, rep);
            start = i + len;
        }
        used += out_len;
        i += len;
    }
    il_buf_append(out, s + start, n - start);
}

void il_report_html(il_buf *out, const il_report *r)
{
    il_buf json;
    il_buf_init(&json, 0);
    il_report_json(&json, r);
    if (json.overflow) {
        out->overflow = 1;
        il_buf_free(&json);
        return;
    }
    il_buf_append(out, (const char *)il_html_head, il_html_head_len);
    copy_json(out, json.data ? json.data : "", json.len);
    il_buf_append(out, (const char *)il_html_tail, il_html_tail_len);
    il_buf_free(&json);
}
