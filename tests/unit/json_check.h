/*
 * json_check.h - a strict, small JSON validator (RFC 8259 syntax, UTF-8
 * checked by the caller's escaper) used by tests and fuzz targets to prove
 * every JSON output parses. json_valid() returns 1 for one valid value
 * surrounded by optional whitespace.
 */
#ifndef IISLENS_JSON_CHECK_H
#define IISLENS_JSON_CHECK_H

#include <stddef.h>
#include <string.h>

typedef struct jc {
    const char *s;
    size_t n, i;
    int depth;
} jc;

static inline void jc_ws(jc *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\n' ||
                           j->s[j->i] == '\r' || j->s[j->i] == '\t'))
        j->i++;
}

static inline int jc_value(jc *j);

static inline int jc_string(jc *j)
{
    if (j->i >= j->n || j->s[j->i] != '"')
        return 0;
    j->i++;
    while (j->i < j->n) {
        unsigned char c = (unsigned char)j->s[j->i++];
        if (c == '"')
            return 1;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (j->i >= j->n)
                return 0;
            char e = j->s[j->i++];
            if (e == 'u') {
                for (int k = 0; k < 4; k++, j->i++)
                    if (j->i >= j->n || !strchr("0123456789abcdefABCDEF", j->s[j->i]) ||
                        !j->s[j->i])
                        return 0;
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return 0;
            }
        }
    }
    return 0;
}

static inline int jc_number(jc *j)
{
    size_t st = j->i;
    if (j->i < j->n && j->s[j->i] == '-')
        j->i++;
    size_t d = j->i;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        j->i++;
    if (j->i == d || (j->s[d] == '0' && j->i - d > 1))
        return 0;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        size_t f = j->i;
        while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            j->i++;
        if (j->i == f)
            return 0;
    }
    return j->i > st;
}

static inline int jc_lit(jc *j, const char *w)
{
    size_t l = strlen(w);
    if (j->n - j->i < l || memcmp(j->s + j->i, w, l) != 0)
        return 0;
    j->i += l;
    return 1;
}

static inline int jc_value(jc *j)
{
    jc_ws(j);
    if (j->i >= j->n || ++j->depth > 64)
        return 0;
    int ok = 0;
    char c = j->s[j->i];
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->i++;
        jc_ws(j);
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            ok = 1;
        } else {
            for (;;) {
                if (c == '{') {
                    jc_ws(j);
                    if (!jc_string(j))
                        break;
                    jc_ws(j);
                    if (j->i >= j->n || j->s[j->i++] != ':')
                        break;
                }
                if (!jc_value(j))
                    break;
                jc_ws(j);
                if (j->i < j->n && j->s[j->i] == ',') {
                    j->i++;
                    continue;
                }
                if (j->i < j->n && j->s[j->i] == close) {
                    j->i++;
                    ok = 1;
                }
                break;
            }
        }
    } else if (c == '"') {
        ok = jc_string(j);
    } else if (c == 't') {
        ok = jc_lit(j, "true");
    } else if (c == 'f') {
        ok = jc_lit(j, "false");
    } else if (c == 'n') {
        ok = jc_lit(j, "null");
    } else {
        ok = jc_number(j);
    }
    j->depth--;
    return ok;
}

static inline int json_valid(const char *s, size_t n)
{
    jc j = {s, n, 0, 0};
    if (!jc_value(&j))
        return 0;
    jc_ws(&j);
    return j.i == n;
}

#endif
