/* test_kb.c - integrity of the compiled knowledge base: every table sorted
 * with unique keys, every field filled in, classes and sources valid,
 * related codes that exist, and every code that tests/data/kb-required.txt
 * (derived from the reference article and facts file) lists is present.
 * Run from the repository root. */
#include "iislens.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const tname[] = {"http", "win32", "ftp", "ftp_sub", "httperr"};

static int nonempty(const char *s)
{
    return s && *s && s[0] != ' ' && s[strlen(s) - 1] != ' ';
}

static int has_key(il_kb_table t, const char *k, size_t n)
{
    size_t cnt;
    const il_kb_entry *all = il_kb_all(t, &cnt);
    for (size_t i = 0; i < cnt; i++)
        if (strlen(all[i].key) == n && memcmp(all[i].key, k, n) == 0)
            return 1;
    return 0;
}

/* Every item of a comma list satisfies pred; names the first that fails. */
static int list_ok(const char *list, il_kb_table t, int sources, char *bad,
                   size_t badcap)
{
    if (strcmp(list, "-") == 0)
        return !sources;
    const char *p = list;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        int ok = sources ? il_kb_source_find(p, n) != NULL : has_key(t, p, n);
        if (!ok) {
            snprintf(bad, badcap, "%.*s", (int)n, p);
            return 0;
        }
        if (!c)
            return 1;
        p = c + 1;
    }
}

static void check_table(il_kb_table t)
{
    size_t n;
    const il_kb_entry *e = il_kb_all(t, &n);
    TAP_OK(n > 0, "%s: table is not empty (%zu entries)", tname[t], n);
    size_t bad_order = 0, bad_fields = 0, bad_class = 0, bad_src = 0, bad_rel = 0;
    char first_problem[200] = "";
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            int c;
            if (t == IL_KB_HTTPERR)
                c = strcmp(e[i - 1].key, e[i].key);
            else if (e[i - 1].code != e[i].code)
                c = e[i - 1].code < e[i].code ? -1 : 1;
            else if (e[i - 1].sub != e[i].sub)
                c = e[i - 1].sub < e[i].sub ? -1 : 1;
            else if (t == IL_KB_HTTP)
                c = strcmp(e[i - 1].variant, "-") == 0 ? -1
                    : strcmp(e[i].variant, "-") == 0 ? 1
                    : strcmp(e[i - 1].variant, e[i].variant);
            else
                c = 0;
            if (c >= 0) {
                bad_order++;
                if (!*first_problem)
                    snprintf(first_problem, sizeof first_problem,
                             "order/duplicate at %s", e[i].key);
            }
        }
        const char *f[] = {e[i].key,     e[i].variant, e[i].title,
                           e[i].versions, e[i].meaning, e[i].causes,
                           e[i].action,  e[i].related, e[i].source};
        for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
            if (!nonempty(f[j]) || (j != 1 && j != 7 && strcmp(f[j], "-") == 0)) {
                bad_fields++;
                if (!*first_problem)
                    snprintf(first_problem, sizeof first_problem,
                             "empty field %zu at %s", j, e[i].key);
            }
        if (strlen(e[i].title) > 70) {
            bad_fields++;
            if (!*first_problem)
                snprintf(first_problem, sizeof first_problem,
                         "title too long at %s", e[i].key);
        }
        if (e[i].cls == IL_CLASS_UNKNOWN || e[i].cls >= IL__CLASS_COUNT)
            bad_class++;
        char bad[64];
        if (!list_ok(e[i].source, t, 1, bad, sizeof bad)) {
            bad_src++;
            if (!*first_problem)
                snprintf(first_problem, sizeof first_problem,
                         "unknown source '%s' at %s", bad, e[i].key);
        }
        if (!list_ok(e[i].related, t, 0, bad, sizeof bad)) {
            bad_rel++;
            if (!*first_problem)
                snprintf(first_problem, sizeof first_problem,
                         "related '%s' at %s is not in the table", bad, e[i].key);
        }
        if (t == IL_KB_HTTP) {
            char want[32];
            snprintf(want, sizeof want, "%u.%u", e[i].code, e[i].sub);
            if (strcmp(want, e[i].key) != 0)
                bad_fields++;
        }
    }
    TAP_EQ_U(bad_order, 0, "%s: keys sorted and unique", tname[t]);
    TAP_EQ_U(bad_fields, 0, "%s: every field filled in", tname[t]);
    TAP_EQ_U(bad_class, 0, "%s: every class valid", tname[t]);
    TAP_EQ_U(bad_src, 0, "%s: every source key defined in sources.tsv", tname[t]);
    TAP_EQ_U(bad_rel, 0, "%s: every related code exists", tname[t]);
    if (*first_problem)
        printf("#   first problem: %s\n", first_problem);
}

static void check_generic_entries(void)
{
    /* every status with sub-status entries has a .0 (generic) entry */
    size_t n, missing = 0;
    const il_kb_entry *e = il_kb_all(IL_KB_HTTP, &n);
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (!il_kb_http(e[i].code, 0, &k)) {
            missing++;
            printf("#   no %u.0 entry (needed by %s)\n", e[i].code, e[i].key);
        }
    }
    TAP_EQ_U(missing, 0, "http: every status has a generic .0 entry");
}

static void check_combos(void)
{
    size_t n, bad = 0;
    const il_kb_combo *c = il_kb_combos(&n);
    TAP_OK(n > 0, "combos: table is not empty (%zu rules)", n);
    for (size_t i = 0; i < n; i++) {
        char b[64];
        if (!nonempty(c[i].title) || !nonempty(c[i].reading) ||
            !nonempty(c[i].action) || !nonempty(c[i].condition) ||
            !list_ok(c[i].source, IL_KB_HTTP, 1, b, sizeof b) ||
            c[i].cls == IL_CLASS_UNKNOWN) {
            bad++;
            printf("#   incomplete combo %u %lld %lld\n", c[i].status,
                   (long long)c[i].sub, (long long)c[i].win32);
        }
        if (i && c[i - 1].ftp == c[i].ftp && c[i - 1].status == c[i].status &&
            c[i - 1].sub == c[i].sub && c[i - 1].win32 == c[i].win32)
            bad++;
    }
    TAP_EQ_U(bad, 0, "combos: complete and unique");
}

static void check_required(const char *path)
{
    FILE *fp = fopen(path, "r");
    TAP_OK(fp != NULL, "required list %s readable", path);
    if (!fp)
        return;
    char line[512];
    size_t total = 0, missing = 0;
    while (fgets(line, sizeof line, fp)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char table[32], a[128] = "", b[32] = "", c[32] = "", d[32] = "";
        int k = sscanf(line, "%31s %127s %31s %31s %31s", table, a, b, c, d);
        if (k < 2)
            continue;
        /* httperr reasons are tab-terminated single words */
        total++;
        int ok = 0;
        if (strcmp(table, "http") == 0) {
            unsigned st, sub;
            size_t cnt;
            ok = sscanf(a, "%u.%u", &st, &sub) == 2 && il_kb_http(st, sub, &cnt);
        } else if (strcmp(table, "win32") == 0) {
            ok = il_kb_win32((uint32_t)strtoul(a, NULL, 10)) != NULL;
        } else if (strcmp(table, "ftp") == 0) {
            ok = il_kb_ftp((unsigned)strtoul(a, NULL, 10)) != NULL;
        } else if (strcmp(table, "ftp_sub") == 0) {
            ok = il_kb_ftp_sub((unsigned)strtoul(a, NULL, 10)) != NULL;
        } else if (strcmp(table, "httperr") == 0) {
            ok = il_kb_httperr(a, strlen(a)) != NULL;
        } else if (strcmp(table, "combo") == 0 && k == 5) {
            unsigned st = (unsigned)strtoul(b, NULL, 10);
            long long sub = strtoll(c, NULL, 10);
            long long w = strcmp(d, "*") == 0 ? 0 : strtoll(d, NULL, 10);
            const il_kb_combo *r = il_kb_combo_find(0, st, sub, w);
            ok = r != NULL && (strcmp(d, "*") == 0 || r->win32 == w);
        }
        if (!ok) {
            missing++;
            printf("#   missing: %s %s %s %s %s\n", table, a, b, c, d);
        }
    }
    fclose(fp);
    TAP_OK(total > 400, "required list has %zu codes", total);
    TAP_EQ_U(missing, 0, "every required code is in the knowledge base");
}

static void check_classify(void)
{
    TAP_OK(il_classify(401, 2, 5) == IL_CLASS_AUTH_HANDSHAKE, "401 2 5 is a handshake leg");
    TAP_OK(il_classify(401, 1, 2148074254LL) == IL_CLASS_AUTH_HANDSHAKE,
           "401 1 2148074254 is a handshake leg");
    TAP_OK(il_classify(200, 0, 64) == IL_CLASS_CLIENT_ABORT, "200 0 64 is a client abort");
    TAP_OK(il_classify(500, 19, 13) == IL_CLASS_SERVER_ERROR, "500 19 13 is a server error");
    TAP_OK(il_classify(500, 19, 2147942413LL) == IL_CLASS_SERVER_ERROR,
           "500 19 as HRESULT is a server error");
    TAP_OK(il_classify(200, 0, 0) == IL_CLASS_SUCCESS, "200 0 0 is a success");
    TAP_OK(il_classify(404, 0, 2) == IL_CLASS_CLIENT_ERROR, "404 0 2 is a client error");
    TAP_OK(il_classify(502, 3, 12002) == IL_CLASS_SERVER_ERROR, "502 3 12002 is a server error");
    TAP_OK(il_classify(299, 0, 0) == IL_CLASS_SUCCESS, "an unknown 2xx is a success");
    TAP_OK(il_classify(401, 1, 1909) == IL_CLASS_SECURITY, "401 1 1909 (locked out) is security");
    TAP_OK(!il_class_is_error(IL_CLASS_AUTH_HANDSHAKE) &&
               !il_class_is_error(IL_CLASS_CLIENT_ABORT) &&
               il_class_is_error(IL_CLASS_SERVER_ERROR),
           "handshakes and aborts are not errors");
    const il_kb_combo *c = il_kb_combo_find(0, 502, 3, 12002);
    const il_kb_combo *d = il_kb_combo_find(0, 502, 3, 12030);
    TAP_OK(c && d && c != d && strcmp(c->title, d->title) != 0,
           "502 3 12002 (timeout) and 12030 (reset) read differently");
    const il_kb_combo *x = il_kb_combo_find(0, 500, 19, 13);
    const il_kb_combo *y = il_kb_combo_find(0, 500, 19, 33);
    TAP_OK(x && y && x != y, "500 19 13 and 500 19 33 read differently");
    const il_kb_combo *a = il_kb_combo_find(0, 200, 0, 64);
    const il_kb_combo *b = il_kb_combo_find(0, 200, 0, 995);
    const il_kb_combo *z = il_kb_combo_find(0, 200, 0, 1236);
    TAP_OK(a && b && z && a->conf == IL_CONF_CONFIRMED &&
               b->conf != IL_CONF_CONFIRMED && z->conf != IL_CONF_CONFIRMED,
           "64 confirmed; 995 and 1236 marked as not confirmed");
}

int main(int argc, char **argv)
{
    for (int t = 0; t < IL__KB_TABLE_COUNT; t++)
        check_table((il_kb_table)t);
    check_generic_entries();
    check_combos();
    check_required(argc > 1 ? argv[1] : "tests/data/kb-required.txt");
    check_classify();
    return tap_done();
}
