/*
 * gen_kb.c - turns the knowledge base (the .tsv files in data/kb) into C tables.
 *
 * Usage: gen_kb OUT.c KIND:FILE.tsv ...
 *   KIND is one of http, win32, ftp, ftp_sub, httperr, combo, source.
 *
 * It checks the data as it reads it and refuses to write anything when a
 * file breaks the format of docs/KB-FORMAT.md (wrong header, wrong field
 * count, empty field, unknown class or confidence, bad number, keys out of
 * order or repeated), naming the file and line. Rows of one kind coming from
 * several files are merged in key order. This is a build tool: it runs on the
 * build machine, exits on the first error, and does not free its memory.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXF 16

enum kind { K_HTTP, K_WIN32, K_FTP, K_FTP_SUB, K_HTTPERR, K_COMBO, K_SOURCE, K_N };

static const char *kind_names[K_N] = {"http", "win32", "ftp", "ftp_sub",
                                      "httperr", "combo", "source"};
static const char *headers[K_N] = {
    "code\tvariant\ttitle\tclass\tversions\tmeaning\tcauses\taction\trelated\tsource\tconfidence",
    "code\tname\ttitle\tclass\tversions\tmeaning\tcauses\taction\trelated\tsource\tconfidence",
    "code\ttitle\tclass\tversions\tmeaning\tcauses\taction\trelated\tsource\tconfidence",
    "code\ttitle\tclass\tversions\tmeaning\tcauses\taction\trelated\tsource\tconfidence",
    "reason\tstatus\ttitle\tclass\tversions\tmeaning\tcauses\taction\trelated\tsource\tconfidence",
    "proto\tstatus\tsubstatus\twin32\ttitle\tclass\treading\taction\tcondition\tsource\tconfidence",
    "key\ttitle\twhere",
};

static const char *classes[] = {"info", "success", "redirect", "client_error",
                                "server_error", "auth_handshake",
                                "client_abort", "security"};
static const char *class_enums[] = {
    "IL_CLASS_INFO", "IL_CLASS_SUCCESS", "IL_CLASS_REDIRECT",
    "IL_CLASS_CLIENT_ERROR", "IL_CLASS_SERVER_ERROR",
    "IL_CLASS_AUTH_HANDSHAKE", "IL_CLASS_CLIENT_ABORT", "IL_CLASS_SECURITY"};
static const char *confs[] = {"confirmed", "inference", "unconfirmed"};
static const char *conf_enums[] = {"IL_CONF_CONFIRMED", "IL_CONF_INFERENCE",
                                   "IL_CONF_UNCONFIRMED"};

struct row {
    const char *file;
    int line;
    int nf;
    char *f[MAXF];
    long long k1, k2, k3, k4; /* numeric sort keys */
    const char *skey;         /* string sort key (variant, reason, source) */
};

struct table {
    struct row *rows;
    size_t n, cap;
};

static struct table tables[K_N];

static void die(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_kb: %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static long long num(const struct row *r, int i, long long max, int star)
{
    const char *s = r->f[i];
    if (star && strcmp(s, "*") == 0)
        return -1;
    if (!*s)
        die(r->file, r->line, "field %d is empty", i + 1);
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            die(r->file, r->line, "field %d: '%s' is not a number", i + 1, s);
        v = v * 10 + (*p - '0');
        if (v > max)
            die(r->file, r->line, "field %d: %s is out of range", i + 1, s);
    }
    return v;
}

static int lookup(const char *s, const char **set, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return i;
    return -1;
}

static int cmp_rows(const struct row *a, const struct row *b, enum kind k)
{
    /* wildcard (-1) sorts last */
#define CMPN(x, y)                                                            \
    do {                                                                      \
        long long xa = (x) < 0 ? 0x7fffffffffffLL : (x);                      \
        long long ya = (y) < 0 ? 0x7fffffffffffLL : (y);                      \
        if (xa != ya)                                                         \
            return xa < ya ? -1 : 1;                                          \
    } while (0)
    switch (k) {
    case K_HTTP:
        CMPN(a->k1, b->k1);
        CMPN(a->k2, b->k2);
        if (strcmp(a->skey, b->skey) == 0)
            return 0;
        if (strcmp(a->skey, "-") == 0)
            return -1;
        if (strcmp(b->skey, "-") == 0)
            return 1;
        return strcmp(a->skey, b->skey);
    case K_WIN32:
    case K_FTP:
    case K_FTP_SUB:
        CMPN(a->k1, b->k1);
        return 0;
    case K_HTTPERR:
    case K_SOURCE:
        return strcmp(a->skey, b->skey);
    case K_COMBO:
        CMPN(a->k1, b->k1);
        CMPN(a->k2, b->k2);
        CMPN(a->k3, b->k3);
        CMPN(a->k4, b->k4);
        return 0;
    default:
        return 0;
    }
#undef CMPN
}

static enum kind sort_kind;
static int qcmp(const void *a, const void *b)
{
    return cmp_rows(a, b, sort_kind);
}

/* "a, b ,c" -> "a,b,c": list fields are stored without blanks. */
static void squeeze_list(char *s)
{
    char *src = strdup(s), *w = s;
    size_t n = strlen(src);
    for (size_t i = 0; i < n; i++) {
        int near_comma = (i + 1 < n && src[i + 1] == ',') ||
                         (i > 0 && src[i - 1] == ',');
        if (src[i] != ' ' || !near_comma)
            *w++ = src[i];
    }
    *w = '\0';
    free(src);
}

static void read_file(enum kind k, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die(path, 0, "cannot open: %s", strerror(errno));
    char *line = NULL;
    size_t lcap = 0;
    int lineno = 0, seen_header = 0;
    struct row prev;
    int have_prev = 0;
    int want = 1;
    for (const char *h = headers[k]; *h; h++)
        want += *h == '\t';
    for (;;) {
        /* getline is POSIX; keep it simple with a manual loop */
        size_t len = 0;
        int c;
        while ((c = fgetc(fp)) != EOF && c != '\n') {
            if (len + 2 > lcap) {
                lcap = lcap ? lcap * 2 : 4096;
                line = realloc(line, lcap);
                if (!line)
                    die(path, lineno, "out of memory");
            }
            line[len++] = (char)c;
        }
        if (c == EOF && len == 0)
            break;
        lineno++;
        if (!line) {
            lcap = 16;
            line = malloc(lcap);
        }
        line[len] = '\0';
        if (len && line[len - 1] == '\r')
            die(path, lineno, "CR line ending (use LF)");
        if (!seen_header) {
            if (strcmp(line, headers[k]) != 0)
                die(path, lineno, "header must be:\n%s", headers[k]);
            seen_header = 1;
            continue;
        }
        if (len == 0 || line[0] == '#')
            continue;
        struct row r;
        memset(&r, 0, sizeof r);
        r.file = path;
        r.line = lineno;
        char *copy = strdup(line);
        char *p = copy;
        for (;;) {
            if (r.nf == MAXF)
                die(path, lineno, "too many fields");
            r.f[r.nf++] = p;
            char *t = strchr(p, '\t');
            if (!t)
                break;
            *t = '\0';
            p = t + 1;
        }
        if (r.nf != want)
            die(path, lineno, "%d fields, expected %d", r.nf, want);
        for (int i = 0; i < r.nf; i++) {
            const char *s = r.f[i];
            if (!*s)
                die(path, lineno, "field %d is empty (write - for none)", i + 1);
            if (s[0] == ' ' || s[strlen(s) - 1] == ' ')
                die(path, lineno, "field %d has leading/trailing space", i + 1);
        }
        int ci = -1, fi = -1;
        /* related and source columns are comma lists */
        if (k == K_HTTP || k == K_WIN32 || k == K_HTTPERR) {
            squeeze_list(r.f[8]);
            squeeze_list(r.f[9]);
        } else if (k == K_FTP || k == K_FTP_SUB) {
            squeeze_list(r.f[7]);
            squeeze_list(r.f[8]);
        } else if (k == K_COMBO) {
            squeeze_list(r.f[9]);
        }
        switch (k) {
        case K_HTTP: {
            char *dot = strchr(r.f[0], '.');
            if (!dot)
                die(path, lineno, "code '%s' must be status.substatus", r.f[0]);
            *dot = '\0';
            r.k1 = num(&r, 0, 999, 0);
            char *sub = dot + 1;
            char *save = r.f[0];
            r.f[0] = sub;
            r.k2 = num(&r, 0, 9999, 0);
            r.f[0] = save;
            *dot = '.';
            if (r.k1 < 100)
                die(path, lineno, "status %lld below 100", r.k1);
            r.skey = r.f[1];
            ci = 3;
            fi = 10;
            break;
        }
        case K_WIN32:
            r.k1 = num(&r, 0, 4294967295LL, 0);
            if ((r.k1 & 0xFFFF0000LL) == 0x80070000LL)
                die(path, lineno,
                    "%lld is a facility-WIN32 HRESULT: list its plain code %lld",
                    r.k1, r.k1 & 0xFFFF);
            ci = 3;
            fi = 10;
            break;
        case K_FTP:
            r.k1 = num(&r, 0, 999, 0);
            ci = 2;
            fi = 9;
            break;
        case K_FTP_SUB:
            r.k1 = num(&r, 0, 9999, 0);
            ci = 2;
            fi = 9;
            break;
        case K_HTTPERR:
            r.skey = r.f[0];
            if (strcmp(r.f[1], "-") != 0)
                num(&r, 1, 999, 0);
            ci = 3;
            fi = 10;
            break;
        case K_COMBO:
            if (strcmp(r.f[0], "http") == 0)
                r.k1 = 0;
            else if (strcmp(r.f[0], "ftp") == 0)
                r.k1 = 1;
            else
                die(path, lineno, "proto must be http or ftp");
            r.k2 = num(&r, 1, 999, 0);
            r.k3 = num(&r, 2, 9999, 1);
            r.k4 = num(&r, 3, 4294967295LL, 1);
            ci = 5;
            fi = 10;
            break;
        case K_SOURCE:
            r.skey = r.f[0];
            break;
        default:
            break;
        }
        if (ci >= 0 && lookup(r.f[ci], classes, 8) < 0)
            die(path, lineno, "unknown class '%s'", r.f[ci]);
        if (fi >= 0 && lookup(r.f[fi], confs, 3) < 0)
            die(path, lineno, "unknown confidence '%s'", r.f[fi]);
        if (have_prev) {
            int c2 = cmp_rows(&prev, &r, k);
            if (c2 == 0)
                die(path, lineno, "duplicate key (also at line %d)", prev.line);
            if (c2 > 0)
                die(path, lineno, "out of order (must sort after line %d)",
                    prev.line);
        }
        prev = r;
        have_prev = 1;
        struct table *t = &tables[k];
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 256;
            t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
            if (!t->rows)
                die(path, lineno, "out of memory");
        }
        t->rows[t->n++] = r;
    }
    if (!seen_header)
        die(path, 1, "empty file");
    free(line);
    fclose(fp);
}

static void cstr(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7F)
            fprintf(out, "\\%03o", *p);
        else if (*p == '?' && p[1] == '?')
            fputs("?\"\"", out); /* break trigraphs */
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void entry(FILE *out, const struct row *r, const char *key,
                  long long code, long long sub, const char *variant, int ti)
{
    /* ti: index of the title field; the 9 fields from title to confidence
     * follow the same order in every entry kind. */
    fputs("    {", out);
    cstr(out, key);
    fprintf(out, ", %lldu, %lldu, ", code, sub);
    cstr(out, variant);
    for (int i = 0; i < 7; i++) {
        static const int order[7] = {0, 2, 3, 4, 5, 6, 7};
        /* title, versions, meaning, causes, action, related, source */
        fputs(", ", out);
        cstr(out, r->f[ti + order[i]]);
    }
    fprintf(out, ", %s, %s},\n", class_enums[lookup(r->f[ti + 1], classes, 8)],
            conf_enums[lookup(r->f[ti + 8], confs, 3)]);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen_kb OUT.c KIND:FILE.tsv ...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        if (!colon)
            die(argv[i], 0, "expected KIND:FILE");
        *colon = '\0';
        int k = lookup(argv[i], kind_names, K_N);
        if (k < 0)
            die(colon + 1, 0, "unknown kind '%s'", argv[i]);
        read_file((enum kind)k, colon + 1);
    }
    for (int k = 0; k < K_N; k++) {
        struct table *t = &tables[k];
        sort_kind = (enum kind)k;
        qsort(t->rows, t->n, sizeof *t->rows, qcmp);
        for (size_t i = 1; i < t->n; i++)
            if (cmp_rows(&t->rows[i - 1], &t->rows[i], (enum kind)k) == 0)
                die(t->rows[i].file, t->rows[i].line,
                    "duplicate key (also at %s:%d)", t->rows[i - 1].file,
                    t->rows[i - 1].line);
    }

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "wb");
    if (!out)
        die(tmp, 0, "cannot write: %s", strerror(errno));
    fputs("/* Generated by tools/gen_kb.c from data/kb. Do not edit. */\n"
          "#include \"internal.h\"\n\n",
          out);

    static const char *names[] = {"http", "win32", "ftp", "ftp_sub", "httperr"};
    for (int k = 0; k <= K_HTTPERR; k++) {
        struct table *t = &tables[k];
        fprintf(out, "const il_kb_entry il_kb_data_%s[] = {\n", names[k]);
        for (size_t i = 0; i < t->n; i++) {
            const struct row *r = &t->rows[i];
            switch (k) {
            case K_HTTP:
                entry(out, r, r->f[0], r->k1, r->k2, r->f[1], 2);
                break;
            case K_WIN32:
                entry(out, r, r->f[0], r->k1, 0, r->f[1], 2);
                break;
            case K_FTP:
            case K_FTP_SUB:
                entry(out, r, r->f[0], r->k1, 0, "-", 1);
                break;
            case K_HTTPERR:
                entry(out, r, r->f[0], 0,
                      strcmp(r->f[1], "-") ? atoll(r->f[1]) : 0, "-", 2);
                break;
            }
        }
        if (t->n == 0)
            fputs("    {0},\n", out);
        fprintf(out, "};\nconst size_t il_kb_data_%s_n = %zu;\n\n", names[k],
                t->n);
    }

    struct table *t = &tables[K_COMBO];
    fputs("const il_kb_combo il_kb_data_combo[] = {\n", out);
    for (size_t i = 0; i < t->n; i++) {
        const struct row *r = &t->rows[i];
        fprintf(out, "    {%lld, %lldu, %lld, %lld, ", r->k1, r->k2, r->k3,
                r->k4);
        static const int fields[] = {4, 6, 7, 8, 9};
        for (int j = 0; j < 5; j++) {
            cstr(out, r->f[fields[j]]);
            fputs(", ", out);
        }
        fprintf(out, "%s, %s},\n", class_enums[lookup(r->f[5], classes, 8)],
                conf_enums[lookup(r->f[10], confs, 3)]);
    }
    if (t->n == 0)
        fputs("    {0},\n", out);
    fprintf(out, "};\nconst size_t il_kb_data_combo_n = %zu;\n\n", t->n);

    t = &tables[K_SOURCE];
    fputs("const il_kb_source il_kb_data_source[] = {\n", out);
    for (size_t i = 0; i < t->n; i++) {
        fputs("    {", out);
        for (int j = 0; j < 3; j++) {
            if (j)
                fputs(", ", out);
            cstr(out, t->rows[i].f[j]);
        }
        fputs("},\n", out);
    }
    if (t->n == 0)
        fputs("    {0},\n", out);
    fprintf(out, "};\nconst size_t il_kb_data_source_n = %zu;\n", t->n);

    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0)
        die(argv[1], 0, "cannot write: %s", strerror(errno));
    return 0;
}
