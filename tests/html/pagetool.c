/*
 * pagetool.c - reads a page written by `iislens report --format html` for
 * tests/html/check.sh (no python on CI).
 *
 *   pagetool json PAGE     the JSON data block with the page's extra escapes
 *                          (\u003c \u003e \u0026) undone, as il_report_json
 *                          wrote it; exit 1 when the block is missing, is not
 *                          the only one, or holds a raw <, >, & or U+2028/2029
 *   pagetool script PAGE   the exact text of the inline <script> (for its hash)
 *   pagetool style PAGE    the exact text of the inline <style>
 *   pagetool csp PAGE      the Content-Security-Policy of the meta tag
 *   pagetool ctl FILE      exit 1 when FILE holds a C0 control other than
 *                          newline and tab, DEL, a C1 control (UTF-8 C2 80..9F)
 *                          or a raw 0x9B byte: what must never reach a terminal
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0, r;
    char *b = malloc(cap + 1);
    while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            char *nb = realloc(b, (cap *= 2) + 1);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    if (!b) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    b[len] = '\0';
    *n = len;
    return b;
}

/* [*from, *to) between the only `open` and the next `close`; 0 when not exactly one. */
static int between(const char *s, const char *open, const char *close, const char **from, const char **to)
{
    const char *p = strstr(s, open);
    if (!p || strstr(p + 1, open))
        return 0;
    *from = p + strlen(open);
    *to = strstr(*from, close);
    return *to != NULL;
}

static int cmd_json(const char *s)
{
    const char *a, *b;
    if (!between(s, "<script type=\"application/json\" id=\"data\">", "</script>", &a, &b)) {
        fputs("pagetool: no single JSON data block\n", stderr);
        return 1;
    }
    int bad = 0;
    for (const char *p = a; p < b; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '<' || c == '>' || c == '&' ||
            (c == 0xE2 && p + 2 < b && (unsigned char)p[1] == 0x80 &&
             ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9))) {
            fprintf(stderr, "pagetool: raw byte 0x%02x in the data block at %ld\n", c, (long)(p - s));
            bad = 1;
        }
    }
    for (const char *p = a; p < b; p++) {
        if (*p == '\\' && p + 1 < b && p[1] == '\\') {
            fputs("\\\\", stdout);
            p++;
        } else if (*p == '\\' && b - p >= 6 && p[1] == 'u' &&
                   (!strncmp(p + 2, "003c", 4) || !strncmp(p + 2, "003e", 4) || !strncmp(p + 2, "0026", 4))) {
            putchar(p[5] == 'c' ? '<' : p[5] == 'e' ? '>' : '&');
            p += 5;
        } else {
            putchar(*p);
        }
    }
    return bad;
}

static int cmd_part(const char *s, const char *open, const char *close)
{
    const char *a, *b;
    if (!between(s, open, close, &a, &b)) {
        fprintf(stderr, "pagetool: no single %s\n", open);
        return 1;
    }
    fwrite(a, 1, (size_t)(b - a), stdout);
    return 0;
}

static int cmd_ctl(const char *s, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int ctl = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F || c == 0x9B ||
                  (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F);
        if (ctl) {
            fprintf(stderr, "pagetool: control byte 0x%02x at offset %zu\n", c, i);
            bad = 1;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: pagetool json|script|style|csp|ctl FILE\n", stderr);
        return 2;
    }
    size_t n;
    char *s = read_all(argv[2], &n);
    int rc = 2;
    if (!strcmp(argv[1], "json"))
        rc = cmd_json(s);
    else if (!strcmp(argv[1], "script"))
        rc = cmd_part(s, "<script>", "</script>");
    else if (!strcmp(argv[1], "style"))
        rc = cmd_part(s, "<style>", "</style>");
    else if (!strcmp(argv[1], "csp"))
        rc = cmd_part(s, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    else if (!strcmp(argv[1], "ctl"))
        rc = cmd_ctl(s, n);
    free(s);
    return rc;
}
