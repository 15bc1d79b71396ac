/*
 * kb.c - lookups in the knowledge base compiled from the .tsv files in data/kb, and the
 * classification of logged status triples.
 *
 * The tables (build/gen/kb_data.c) are sorted by key by the generator, which
 * refuses unsorted or duplicated data, so every lookup here is a binary
 * search. All records are static; nothing here allocates.
 */
#include "iislens.h"
#include "internal.h"

#include <string.h>

static const char *const class_names[IL__CLASS_COUNT] = {
    "unknown",      "info",           "success",      "redirect",
    "client_error", "server_error",   "auth_handshake", "client_abort",
    "security"};
static const char *const class_labels[IL__CLASS_COUNT] = {
    "unknown",      "informational",  "success",      "redirect",
    "client error", "server error",   "auth handshake", "client abort",
    "security"};

const char *il_class_name(il_class c)
{
    return (unsigned)c < IL__CLASS_COUNT ? class_names[c] : "unknown";
}

const char *il_class_label(il_class c)
{
    return (unsigned)c < IL__CLASS_COUNT ? class_labels[c] : "unknown";
}

il_class il_class_parse(const char *s, size_t n)
{
    for (int i = 1; i < IL__CLASS_COUNT; i++)
        if (strlen(class_names[i]) == n && memcmp(class_names[i], s, n) == 0)
            return (il_class)i;
    return IL_CLASS_UNKNOWN;
}

int il_class_is_error(il_class c)
{
    return c == IL_CLASS_CLIENT_ERROR || c == IL_CLASS_SERVER_ERROR ||
           c == IL_CLASS_SECURITY;
}

const char *il_confidence_name(il_confidence c)
{
    switch (c) {
    case IL_CONF_CONFIRMED:
        return "confirmed";
    case IL_CONF_INFERENCE:
        return "inference";
    case IL_CONF_UNCONFIRMED:
        return "unconfirmed";
    }
    return "unconfirmed";
}

const char *il_strerror(il_status st)
{
    switch (st) {
    case IL_OK:
        return "success";
    case IL_E_NOMEM:
        return "out of memory";
    case IL_E_IO:
        return "input/output error";
    case IL_E_PARSE:
        return "input not understood";
    case IL_E_LIMIT:
        return "size limit reached";
    case IL_E_USAGE:
        return "invalid request";
    case IL__STATUS_COUNT:
        break;
    }
    return "unknown error";
}

int il_casecmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return an < bn ? -1 : an > bn ? 1 : 0;
}

const il_kb_entry *il_kb_all(il_kb_table t, size_t *count)
{
    switch (t) {
    case IL_KB_HTTP:
        *count = il_kb_data_http_n;
        return il_kb_data_http;
    case IL_KB_WIN32:
        *count = il_kb_data_win32_n;
        return il_kb_data_win32;
    case IL_KB_FTP:
        *count = il_kb_data_ftp_n;
        return il_kb_data_ftp;
    case IL_KB_FTP_SUB:
        *count = il_kb_data_ftp_sub_n;
        return il_kb_data_ftp_sub;
    case IL_KB_HTTPERR:
        *count = il_kb_data_httperr_n;
        return il_kb_data_httperr;
    case IL__KB_TABLE_COUNT:
        break;
    }
    *count = 0;
    return NULL;
}

const il_kb_combo *il_kb_combos(size_t *count)
{
    *count = il_kb_data_combo_n;
    return il_kb_data_combo;
}

const il_kb_source *il_kb_sources(size_t *count)
{
    *count = il_kb_data_source_n;
    return il_kb_data_source;
}

/* First index in t[0..n) whose (code, sub) is >= (code, sub). */
static size_t lower_bound(const il_kb_entry *t, size_t n, uint32_t code,
                          uint32_t sub)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].code < code || (t[mid].code == code && t[mid].sub < sub))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const il_kb_entry *il_kb_http(unsigned status, unsigned sub, size_t *n)
{
    const il_kb_entry *t = il_kb_data_http;
    size_t cnt = il_kb_data_http_n;
    size_t i = lower_bound(t, cnt, status, sub), j = i;
    while (j < cnt && t[j].code == status && t[j].sub == sub)
        j++;
    *n = j - i;
    return j > i ? &t[i] : NULL;
}

static const il_kb_entry *by_code(const il_kb_entry *t, size_t n,
                                  uint32_t code)
{
    size_t i = lower_bound(t, n, code, 0);
    return i < n && t[i].code == code ? &t[i] : NULL;
}

const il_kb_entry *il_kb_win32(uint32_t value)
{
    return by_code(il_kb_data_win32, il_kb_data_win32_n, value);
}

const il_kb_entry *il_kb_ftp(unsigned code)
{
    return by_code(il_kb_data_ftp, il_kb_data_ftp_n, code);
}

const il_kb_entry *il_kb_ftp_sub(unsigned sub)
{
    return by_code(il_kb_data_ftp_sub, il_kb_data_ftp_sub_n, sub);
}

const il_kb_entry *il_kb_httperr(const char *reason, size_t n)
{
    const il_kb_entry *t = il_kb_data_httperr;
    size_t lo = 0, hi = il_kb_data_httperr_n;
    while (lo < hi) { /* keys are in strcmp order */
        size_t mid = lo + (hi - lo) / 2;
        size_t kl = strlen(t[mid].key);
        int c = memcmp(t[mid].key, reason, kl < n ? kl : n);
        if (c == 0)
            c = kl < n ? -1 : kl > n ? 1 : 0;
        if (c == 0)
            return &t[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = 0; i < il_kb_data_httperr_n; i++)
        if (il_casecmp(t[i].key, strlen(t[i].key), reason, n) == 0)
            return &t[i];
    return NULL;
}

const il_kb_source *il_kb_source_find(const char *key, size_t n)
{
    for (size_t i = 0; i < il_kb_data_source_n; i++) {
        const char *k = il_kb_data_source[i].key;
        if (strlen(k) == n && memcmp(k, key, n) == 0)
            return &il_kb_data_source[i];
    }
    return NULL;
}

const il_kb_combo *il_kb_combo_find(int ftp, unsigned status, long long sub,
                                    long long win32)
{
    const il_kb_combo *best = NULL;
    int best_score = -1;
    /* The combination table is small (dozens of rows): a scan is simplest
     * and fast enough; the report path calls il_classify once per distinct
     * triple, not per line. */
    for (size_t i = 0; i < il_kb_data_combo_n; i++) {
        const il_kb_combo *c = &il_kb_data_combo[i];
        if ((c->ftp != 0) != (ftp != 0) || c->status != status)
            continue;
        if (c->sub >= 0 && c->sub != sub)
            continue;
        if (c->win32 >= 0 && c->win32 != win32)
            continue;
        int score = (c->sub >= 0) * 1 + (c->win32 >= 0) * 2;
        if (score > best_score) {
            best = c;
            best_score = score;
        }
    }
    return best;
}

il_class il_class_of_status(unsigned status)
{
    if (status >= 100 && status < 200)
        return IL_CLASS_INFO;
    if (status >= 200 && status < 300)
        return IL_CLASS_SUCCESS;
    if (status >= 300 && status < 400)
        return IL_CLASS_REDIRECT;
    if (status >= 400 && status < 500)
        return IL_CLASS_CLIENT_ERROR;
    if (status >= 500 && status < 600)
        return IL_CLASS_SERVER_ERROR;
    return IL_CLASS_UNKNOWN;
}

il_class il_classify(unsigned status, long long sub, long long win32)
{
    il_win32 w;
    if (win32 >= 0) {
        il_win32_decode((uint32_t)win32, &w);
        /* Rules are keyed by the plain code; try the logged form too. */
        const il_kb_combo *c = il_kb_combo_find(0, status, sub, w.code);
        if (!c && w.code != w.raw)
            c = il_kb_combo_find(0, status, sub, w.raw);
        if (c)
            return c->cls;
    } else {
        const il_kb_combo *c = il_kb_combo_find(0, status, sub, -1);
        if (c && c->win32 < 0)
            return c->cls;
    }
    size_t n;
    const il_kb_entry *e = il_kb_http(status, sub < 0 ? 0 : (unsigned)sub, &n);
    if (e)
        return e->cls;
    return il_class_of_status(status);
}
