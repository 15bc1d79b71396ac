/*
 * gen_html.c - turns the HTML report template (data/html/report.html) into
 * C byte arrays for src/lib/report_html.c.
 *
 * Usage: gen_html OUT.c TEMPLATE.html
 *
 * The template holds one inline <style>, one inline <script>, a data block
 * <script type="application/json" id="data">@@IISLENS_JSON@@</script> and a
 * Content-Security-Policy meta tag whose content is @@IISLENS_CSP@@. The
 * generator computes the SHA-256 of the style and the script (what the CSP
 * hash sources cover: the exact text between the tags), writes the policy
 * in place of the CSP marker, and emits the page as two arrays: the part
 * before the JSON marker (il_html_head) and the part after it (il_html_tail).
 *
 * It refuses the template (naming file:line, writing nothing) when a marker
 * or tag is missing or repeated, a byte is not ASCII, the script or style
 * could end early in an HTML parser (</script, <!--, </style), or anything
 * could load from outside or build HTML from strings (src=, href= other than
 * "#...", url(, @import, <link, innerHTML, insertAdjacentHTML, outerHTML,
 * document.write, eval(, new Function, http(s) addresses other than the SVG
 * namespace). This is a build tool: it runs on the build machine and exits on
 * the first error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tpl_name;
static const char *tpl;
static size_t tpl_len;

static void die_at(size_t off, const char *msg)
{
    int line = 1;
    for (size_t i = 0; i < off && i < tpl_len; i++)
        line += tpl[i] == '\n';
    fprintf(stderr, "gen_html: %s:%d: %s\n", tpl_name, line, msg);
    exit(1);
}

static void die(const char *msg)
{
    fprintf(stderr, "gen_html: %s\n", msg);
    exit(1);
}

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------------------ */

typedef struct {
    uint32_t h[8];
    uint64_t len;
    unsigned char blk[64];
    size_t n;
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

static void sha_init(sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->len = 0;
    s->n = 0;
}

static void sha_update(sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->len += n;
    while (n) {
        size_t k = 64 - s->n < n ? 64 - s->n : n;
        memcpy(s->blk + s->n, p, k);
        s->n += k;
        p += k;
        n -= k;
        if (s->n == 64) {
            sha_block(s, s->blk);
            s->n = 0;
        }
    }
}

static void sha_final(sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->len * 8;
    unsigned char pad = 0x80;
    sha_update(s, &pad, 1);
    pad = 0;
    while (s->n != 56)
        sha_update(s, &pad, 1);
    unsigned char lb[8];
    for (int i = 0; i < 8; i++)
        lb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(s, lb, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

/* "sha256-" + base64 of the digest of p[0..n) */
static void csp_hash(const char *p, size_t n, char out[64])
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char d[33];
    sha256 s;
    sha_init(&s);
    sha_update(&s, p, n);
    sha_final(&s, d);
    d[32] = 0;
    char *o = out + sprintf(out, "sha256-");
    for (int i = 0; i < 33; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)(i + 1 < 33 ? d[i + 1] : 0) << 8 |
                     (uint32_t)(i + 2 < 33 ? d[i + 2] : 0);
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < 32 ? b64[v & 63] : '=';
    }
    *o = '\0';
}

/* ---- template checks ----------------------------------------------------------------- */

static const char *find(const char *from, const char *what)
{
    size_t wn = strlen(what);
    for (const char *p = from; p + wn <= tpl + tpl_len; p++)
        if (memcmp(p, what, wn) == 0)
            return p;
    return NULL;
}

/* The only occurrence of `what`; dies when it is missing or repeated. */
static const char *once(const char *what)
{
    const char *p = find(tpl, what);
    if (!p) {
        fprintf(stderr, "gen_html: %s: missing %s\n", tpl_name, what);
        exit(1);
    }
    const char *q = find(p + 1, what);
    if (q) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s appears more than once", what);
        die_at((size_t)(q - tpl), msg);
    }
    return p;
}

/* Case-insensitive search in [from, to). */
static const char *find_ci(const char *from, const char *to, const char *what)
{
    size_t wn = strlen(what);
    for (const char *p = from; p + wn <= to; p++) {
        size_t i = 0;
        while (i < wn) {
            char c = p[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != what[i])
                break;
            i++;
        }
        if (i == wn)
            return p;
    }
    return NULL;
}

static void refuse_in(const char *from, const char *to, const char *what, const char *why)
{
    const char *p = find_ci(from, to, what);
    if (p) {
        char msg[300];
        snprintf(msg, sizeof msg, "'%s' is not allowed: %s", what, why);
        die_at((size_t)(p - tpl), msg);
    }
}

static void check_template(void)
{
    for (size_t i = 0; i < tpl_len; i++)
        if ((unsigned char)tpl[i] >= 0x80 || tpl[i] == '\0')
            die_at(i, "only ASCII in the template (use \\uXXXX in script, &#x...; in HTML)");
    const char *end = tpl + tpl_len;
    static const char *const no_html[] = {"innerhtml", "outerhtml", "insertadjacenthtml",
                                          "document.write", "eval(", "new function",
                                          "@import", "url(", "<link", "src=", "srcset",
                                          "<iframe", "<object", "<embed", "<base"};
    for (size_t i = 0; i < sizeof no_html / sizeof no_html[0]; i++)
        refuse_in(tpl, end, no_html[i], "the page loads nothing and builds no HTML from strings");
    for (const char *p = find_ci(tpl, end, "href="); p; p = find_ci(p + 1, end, "href="))
        if (strncmp(p + 5, "\"#", 2) != 0)
            die_at((size_t)(p - tpl), "href= only to \"#fragment\" in the page itself");
    static const char svgns[] = "http://www.w3.org/2000/svg";
    for (const char *p = find_ci(tpl, end, "http"); p; p = find_ci(p + 1, end, "http"))
        if ((p[4] == ':' || (p[4] == 's' && p[5] == ':')) &&
            !(strncmp(p, svgns, sizeof svgns - 1) == 0))
            die_at((size_t)(p - tpl), "no http(s) addresses: the page must work offline");
}

/* ---- output -------------------------------------------------------------------------- */

static void emit(FILE *f, const char *name, const char *const *parts, const size_t *lens, int np)
{
    size_t total = 0;
    fprintf(f, "const unsigned char %s[] = {", name);
    for (int k = 0; k < np; k++)
        for (size_t i = 0; i < lens[k]; i++, total++)
            fprintf(f, "%s%u,", total % 24 ? "" : "\n    ", (unsigned char)parts[k][i]);
    fprintf(f, "\n    0};\nconst size_t %s_len = %zu;\n\n", name, total);
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    *n = len;
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        die("usage: gen_html OUT.c TEMPLATE.html");
    tpl_name = argv[2];
    tpl = read_all(argv[2], &tpl_len);
    if (!tpl)
        die("cannot read the template");
    check_template();

    static const char data_open[] = "<script type=\"application/json\" id=\"data\">";
    static const char json_mark[] = "@@IISLENS_JSON@@";
    static const char csp_mark[] = "@@IISLENS_CSP@@";
    const char *dopen = once(data_open);
    const char *jm = once(json_mark);
    const char *cm = once(csp_mark);
    if (jm != dopen + sizeof data_open - 1 || strncmp(jm + sizeof json_mark - 1, "</script>", 9))
        die_at((size_t)(jm - tpl), "the JSON marker must be the whole content of the data block");
    if (cm > jm)
        die_at((size_t)(cm - tpl), "the CSP meta tag must come before the data");
    const char *ss = once("<style>") + 7;
    const char *se = once("</style>");
    const char *js = once("<script>") + 8;
    const char *je = find(js, "</script>");
    if (se < ss || !je)
        die("<style> or <script> not closed");
    if (js < jm)
        die_at((size_t)(js - tpl), "the inline script must come after the data block");
    if (find(je + 1, "</script>"))
        die_at((size_t)(find(je + 1, "</script>") - tpl), "one inline script only");
    refuse_in(js, je, "<!--", "the HTML parser would read it as script-data escape");
    refuse_in(js, je, "</scr", "would end the script early");
    refuse_in(ss, se, "</st", "would end the style early");
    refuse_in(ss, se, "<!--", "not inside <style>");
    for (const char *p = tpl; (p = find_ci(p, tpl + tpl_len, "<script")); p++)
        if (p != js - 8 && p != dopen)
            die_at((size_t)(p - tpl), "one inline script and one data block only");
    for (const char *p = tpl; (p = find_ci(p, tpl + tpl_len, " on")); p++) {
        /* no inline event handler attributes in the HTML part (outside the script) */
        if (p > js && p < je)
            continue;
        const char *q = p + 3;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
            q++;
        if (q > p + 3 && *q == '=')
            die_at((size_t)(p - tpl), "no inline event handlers (CSP allows none)");
    }

    char hs[64], hj[64], csp[512];
    csp_hash(ss, (size_t)(se - ss), hs);
    csp_hash(js, (size_t)(je - js), hj);
    snprintf(csp, sizeof csp,
             "default-src 'none'; script-src '%s'; style-src '%s'; img-src data:; "
             "connect-src 'none'; form-action 'none'; base-uri 'none'",
             hj, hs);

    FILE *f = fopen(argv[1], "wb");
    if (!f)
        die("cannot write the output");
    fprintf(f, "/* Generated by tools/gen_html.c from %s: do not edit.\n * CSP: %s */\n"
               "#include <stddef.h>\n\n"
               "extern const unsigned char il_html_head[];\nextern const size_t il_html_head_len;\n"
               "extern const unsigned char il_html_tail[];\nextern const size_t il_html_tail_len;\n\n",
            tpl_name, csp);
    const char *head[3] = {tpl, csp, cm + sizeof csp_mark - 1};
    size_t head_len[3] = {(size_t)(cm - tpl), strlen(csp), (size_t)(jm - (cm + sizeof csp_mark - 1))};
    emit(f, "il_html_head", head, head_len, 3);
    const char *tail[1] = {jm + sizeof json_mark - 1};
    size_t tail_len[1] = {(size_t)(tpl + tpl_len - tail[0])};
    emit(f, "il_html_tail", tail, tail_len, 1);
    if (fclose(f) != 0) {
        remove(argv[1]);
        die("cannot write the output");
    }
    return 0;
}
