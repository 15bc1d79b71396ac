/*
 * engine.c - paths in, one merged il_agg out (see engine.h).
 *
 * Work is a list of units in file order: a whole file read as a stream
 * (compressed files, standard input, small files) or a chunk of a large
 * plain file. Workers claim units in order from an atomic counter. A chunk
 * first scans itself for directive lines and publishes the layout its last
 * #Fields sets; then it takes its entry layout from the nearest earlier
 * chunk of the same file that had one (waiting for that chunk's scan, which
 * is always already claimed, so the wait is short and cannot deadlock).
 * Lines longer than max_line, and lines cut at a chunk edge because no line
 * end was found within 1 MiB, are counted as too long exactly once.
 */
#include "engine.h"
#include "internal.h"
#include "platform.h"
#include "source.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDGE_SEARCH ((size_t)1 << 20)
#define IL_DEFAULT_CHUNK ((size_t)2 << 20)

/* ---- filters ----------------------------------------------------------------- */

void il_filter_init(il_filter *f)
{
    memset(f, 0, sizeof *f);
    f->since = INT64_MIN;
    f->until = INT64_MAX;
}

static int num_prefix(const char **s, long long max, long long *out)
{
    const char *p = *s;
    long long v = 0;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > max)
            return 0;
        p++;
    }
    *s = p;
    *out = v;
    return 1;
}

int il_filter_add_status(il_filter *f, const char *pat)
{
    if (f->nstatus >= 16)
        return 0;
    const char *p = pat;
    long long st, sub = -1, w = -1;
    int lo, hi;
    if (p[0] >= '1' && p[0] <= '6' && (p[1] == 'x' || p[1] == 'X') &&
        (p[2] == 'x' || p[2] == 'X') && p[3] == '\0') {
        lo = (p[0] - '0') * 100;
        hi = lo + 99;
    } else {
        if (!num_prefix(&p, 999, &st) || st < 100)
            return 0;
        lo = hi = (int)st;
        if (*p == '.') {
            p++;
            if (*p == '*' && p[1] == '\0')
                p++;
            else if (!num_prefix(&p, 99999, &sub))
                return 0;
            if (*p == '.') {
                p++;
                if (!num_prefix(&p, 4294967295LL, &w))
                    return 0;
            }
        }
        if (*p)
            return 0;
    }
    f->status[f->nstatus].lo = lo;
    f->status[f->nstatus].hi = hi;
    f->status[f->nstatus].sub = sub;
    f->status[f->nstatus].win32 = w;
    f->nstatus++;
    return 1;
}

/* Dotted IPv4 "a.b.c.d", all of s[0..n), to 4 bytes. */
static int parse_ip4(const char *s, size_t n, unsigned char out[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        unsigned x = 0, d = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && d < 3)
            x = x * 10 + (unsigned)(s[i++] - '0'), d++;
        if (d == 0 || x > 255)
            return 0;
        out[k] = (unsigned char)x;
        if (k < 3 && (i >= n || s[i++] != '.'))
            return 0;
    }
    return i == n;
}

/* IPv4 "a.b.c.d" or IPv6 (with "::", an IPv4 tail and an optional %zone)
 * to 4/16 bytes. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as
 * dual-stack servers and proxies write IPv4 clients) becomes its IPv4
 * address, *v6 0 and *mapped 1, so that it matches IPv4 filters. */
static int parse_ip(const char *s, size_t n, unsigned char out[16], int *v6, int *mapped)
{
    const char *pct = memchr(s, '%', n);
    if (pct)
        n = (size_t)(pct - s);
    *mapped = 0;
    if (n == 0 || n > 45)
        return 0;
    if (!memchr(s, ':', n)) {
        if (!parse_ip4(s, n, out))
            return 0;
        *v6 = 0;
        return 1;
    }
    uint16_t g[8];
    int ng = 0, gap = -1;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    /* an IPv4 tail after the last ':' counts as the last two groups */
    size_t end = n;
    const char *lastc = s + n;
    while (lastc > s && lastc[-1] != ':')
        lastc--;
    unsigned char tail4[4];
    int has4 = memchr(lastc, '.', (size_t)(s + n - lastc)) != NULL;
    if (has4) {
        if (lastc - s < 2 || !parse_ip4(lastc, (size_t)(s + n - lastc), tail4))
            return 0;
        end = (size_t)(lastc - s);
        if (lastc[-2] != ':') /* "x:a.b.c.d": the ':' only separates */
            end--;
    }
    while (i < end) {
        unsigned x = 0, d = 0;
        while (i < end && d < 4) {
            char c = s[i];
            int h = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (h < 0)
                break;
            x = x * 16 + (unsigned)h;
            d++;
            i++;
        }
        if (d == 0 || ng == 8)
            return 0;
        g[ng++] = (uint16_t)x;
        if (i == end)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < end && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = ng;
            i++;
        }
    }
    if (has4) {
        if (ng > 6)
            return 0;
        g[ng++] = (uint16_t)(tail4[0] << 8 | tail4[1]);
        g[ng++] = (uint16_t)(tail4[2] << 8 | tail4[3]);
    }
    if ((gap < 0 && ng != 8) || (gap >= 0 && ng > 7))
        return 0;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : ng - gap;
    for (int j = 0; j < ng; j++) {
        int pos = gap >= 0 && j >= gap ? 8 - tail + (j - gap) : j;
        out[2 * pos] = (unsigned char)(g[j] >> 8);
        out[2 * pos + 1] = (unsigned char)(g[j] & 0xFF);
    }
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (memcmp(out, v4mapped, 12) == 0) {
        memmove(out, out + 12, 4);
        *v6 = 0;
        *mapped = 1;
        return 1;
    }
    *v6 = 1;
    return 1;
}

int il_filter_add_client(il_filter *f, const char *s)
{
    if (f->nclient >= 16)
        return 0;
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    int v6, mapped;
    unsigned char a[16];
    if (!parse_ip(s, n, a, &v6, &mapped))
        return 0;
    long long bits = v6 ? 128 : 32;
    if (slash) {
        const char *p = slash + 1;
        if (!num_prefix(&p, v6 || mapped ? 128 : 32, &bits) || *p)
            return 0;
        if (mapped) { /* ::ffff:a.b.c.d/120 is a.b.c.d/24 */
            if (bits < 96)
                return 0;
            bits -= 96;
        }
    }
    memcpy(f->client[f->nclient].addr, a, 16);
    f->client[f->nclient].bits = (int)bits;
    f->client[f->nclient].v6 = v6;
    f->nclient++;
    return 1;
}

int64_t il_parse_iso_time(const char *s)
{
    size_t n = strlen(s);
    if (n < 10)
        return INT64_MIN;
    il_str date = {s, 10};
    char tbuf[9] = "00:00:00";
    size_t i = 10;
    if (i < n) {
        if (s[i] != 'T' && s[i] != ' ')
            return INT64_MIN;
        i++;
        size_t tl = 0;
        while (i < n && tl < 8 && s[i] != 'Z')
            tbuf[tl++] = s[i++];
        if (tl != 5 && tl != 8)
            return INT64_MIN;
        if (i < n && s[i] == 'Z')
            i++;
        if (i != n)
            return INT64_MIN;
    }
    return il_parse_w3c_time(date, (il_str){tbuf, 8});
}

static int match_status(const il_filter *f, const il_rec *r)
{
    if (f->nstatus == 0)
        return 1;
    for (int i = 0; i < f->nstatus; i++) {
        if (r->status < f->status[i].lo || r->status > f->status[i].hi)
            continue;
        if (f->status[i].sub >= 0 && r->sub != f->status[i].sub)
            continue;
        if (f->status[i].win32 >= 0 && r->win32 != f->status[i].win32)
            continue;
        return 1;
    }
    return 0;
}

static int match_client(const il_filter *f, const il_rec *r)
{
    if (f->nclient == 0)
        return 1;
    il_str c = il_agg_client(r);
    unsigned char a[16];
    int v6, mapped;
    if (!c.n || !parse_ip(c.p, c.n, a, &v6, &mapped))
        return 0;
    for (int i = 0; i < f->nclient; i++) {
        if (f->client[i].v6 != v6)
            continue;
        int bits = f->client[i].bits, ok = 1;
        for (int b = 0; b < bits && ok; b += 8) {
            int take = bits - b >= 8 ? 8 : bits - b;
            unsigned mask = (0xFF00u >> take) & 0xFF;
            ok = (a[b / 8] & mask) == (f->client[i].addr[b / 8] & mask);
        }
        if (ok)
            return 1;
    }
    return 0;
}

static int filter_pass(const il_filter *f, const il_rec *r)
{
    if (r->t != INT64_MIN && (r->t < f->since || r->t >= f->until))
        return 0;
    if ((f->since != INT64_MIN || f->until != INT64_MAX) && r->t == INT64_MIN)
        return 0;
    if (r->kind == IL_FMT_HTTPERR)
        return f->nstatus == 0 && !f->url_prefix && f->nclient == 0 && !f->site;
    if (f->site && (r->site.n != strlen(f->site) ||
                    il_casecmp(r->site.p, r->site.n, f->site, strlen(f->site)) != 0))
        return 0;
    if (f->url_prefix) {
        size_t l = strlen(f->url_prefix);
        if (r->uri.n < l || il_casecmp(r->uri.p, l, f->url_prefix, l) != 0)
            return 0;
    }
    return match_status(f, r) && match_client(f, r);
}

/* ---- options and file lists ----------------------------------------------------- */

void il_engine_default_opts(il_engine_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_line = 65536;
    /* 2 MiB: two threads' chunk buffers (1.5 chunks + 1 MiB each) then
     * leave the shared L3 cache to the counting tables; 8 MiB was 9 %
     * slower on two threads (docs/BENCHMARKS.md) */
    o->chunk = IL_DEFAULT_CHUNK;
    il_agg_default_limits(&o->lim);
    il_filter_init(&o->filter);
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && il_casecmp(s + a - b, b, suf, b) == 0;
}

int il_engine_want_file(const char *name)
{
    return ends_with(name, ".log") || ends_with(name, ".log.gz") ||
           ends_with(name, ".log.zst");
}

/* "…/W3SVC1/u_ex…" -> "W3SVC1"; FTPSVC and MSFTPSVC likewise. */
static void site_from_path(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = path;
    while (*p) {
        const char *seg = p;
        while (*p && *p != '/' && *p != '\\')
            p++;
        size_t n = (size_t)(p - seg);
        static const char *const pre[] = {"W3SVC", "FTPSVC", "MSFTPSVC"};
        for (int i = 0; i < 3; i++) {
            size_t pl = strlen(pre[i]);
            if (n > pl && n < cap && il_casecmp(seg, pl, pre[i], pl) == 0) {
                int digits = 1;
                for (size_t k = pl; k < n; k++)
                    digits &= seg[k] >= '0' && seg[k] <= '9';
                if (digits && *p) { /* a folder, not the file itself */
                    memcpy(out, seg, n);
                    out[n] = '\0';
                }
            }
        }
        if (*p)
            p++;
    }
}

typedef struct collect {
    il_file_info *files;
    size_t n, cap;
    int oom;
} collect;

static int add_file(const char *path, void *ctx)
{
    collect *c = ctx;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        il_file_info *f = realloc(c->files, nc * sizeof *f);
        if (!f) {
            c->oom = 1;
            return 1;
        }
        c->files = f;
        c->cap = nc;
    }
    il_file_info *f = &c->files[c->n];
    memset(f, 0, sizeof *f);
    size_t l = strlen(path);
    f->path = malloc(l + 1);
    if (!f->path) {
        c->oom = 1;
        return 1;
    }
    memcpy(f->path, path, l + 1);
    site_from_path(path, f->site, sizeof f->site);
    c->n++;
    return 0;
}

/* ---- units and workers ------------------------------------------------------------- */

typedef struct unit {
    size_t file;
    int64_t start, end;     /* chunk byte range; end < 0: whole stream */
    uint32_t chunk_no;      /* 0 for the first chunk / whole streams */
    uint8_t midline_start, midline_end;
    atomic_int ready;       /* prescan published */
    int has_dir;
    il_layout last;         /* layout after the chunk's last #Fields */
    uint64_t lines, bytes;
} unit;

typedef struct shared {
    const il_engine_opts *o;
    il_file_info *files;
    unit *units;
    size_t nunits;
    atomic_size_t next;
    atomic_ullong done_bytes;
    atomic_int progress_busy;
    uint64_t total_bytes;
    int filtering;          /* any filter set: else no record is tested */
    il_format *file_fmt;    /* detected per file (chunked files: by main) */
} shared;

typedef struct worker {
    /* workers sit side by side in one array, and each writes its own on
     * every line: a cache line of space on both sides of the hot fields
     * keeps two threads from sharing a line */
    char pad0[64];
    shared *sh;
    il_agg *agg;
    char *buf;
    size_t cap;
    il_thread *thr;
    int oom;
    char pad1[64];
} worker;

typedef struct parse_state {
    il_layout layout;
    il_format fmt;
    const char *path;
    const char *site;
    size_t site_len;        /* strlen(site), once per unit */
    uint64_t line;          /* current line number within the unit */
    uint32_t unit;
    int file_start;         /* the unit starts at the file's first byte */
    char block_date[10];    /* #Date of the directive block being read */
    int has_block_date;
    int fields_in_block;    /* layout came from the directive block being read */
    int64_t tz_hour, tz_off;  /* local_to_utc's cache */
} parse_state;

/* "#Date: YYYY-MM-DD ..." -> date; 1 when it has one. */
static int directive_date(const char *s, size_t n, char out[10])
{
    if (n < 16 || il_casecmp(s, 6, "#Date:", 6) != 0)
        return 0;
    size_t i = 6;
    while (i < n && s[i] == ' ')
        i++;
    if (n - i < 10 || s[i + 4] != '-' || s[i + 7] != '-')
        return 0;
    memcpy(out, s + i, 10);
    return 1;
}

static void bad(worker *w, parse_state *ps, il_bad why)
{
    il_agg_bad_at(w->agg, why, ps->path, ps->line, ps->unit);
}

/* A #Fields line's layout, with the #Date of its directive block (records
 * of time-only logs take their day from it). Shared by the line parser and
 * the chunk scan so both read directives the same way. */
static int fields_layout(const char *s, size_t n, const char *date, int has_date,
                         il_layout *l)
{
    static const char fields[] = "#Fields:";
    if (n < sizeof fields - 1 || il_casecmp(s, sizeof fields - 1, fields, sizeof fields - 1) != 0)
        return 0;
    if (!il_layout_parse(l, s + sizeof fields - 1, n - (sizeof fields - 1)))
        return -1;
    if (has_date) {
        memcpy(l->date, date, 10);
        l->has_date = 1;
    }
    return 1;
}

static void directive(worker *w, parse_state *ps, const char *s, size_t n)
{
    if (directive_date(s, n, ps->block_date)) {
        ps->has_block_date = 1;
        if (ps->fields_in_block) { /* "#Fields" then "#Date": same block */
            memcpy(ps->layout.date, ps->block_date, 10);
            ps->layout.has_date = 1;
        }
        return;
    }
    il_layout l;
    int rc = fields_layout(s, n, ps->block_date, ps->has_block_date, &l);
    if (rc > 0) {
        ps->layout = l;
        ps->fields_in_block = 1;
    } else if (rc < 0)
        bad(w, ps, IL_BAD_DIRECTIVE);
}

/* Local civil time (seconds, as if UTC) to UTC in the process's zone; the
 * offset is looked up once per local hour. */
static int64_t local_to_utc(parse_state *ps, int64_t local)
{
    int64_t hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;
    if (hour != ps->tz_hour) {
        int64_t guess = local - il_plat_utc_offset(local);
        ps->tz_off = il_plat_utc_offset(guess);
        ps->tz_hour = hour;
    }
    return local - ps->tz_off;
}

IL_HOT_INLINE void count_rec(worker *w, parse_state *ps, int rc, il_rec *r);

static void data_line(worker *w, parse_state *ps, const char *s, size_t n)
{
    const il_engine_opts *o = w->sh->o;
    if (n > o->max_line) {
        bad(w, ps, IL_BAD_TOO_LONG);
        return;
    }
    if (s[0] == '\0') {
        bad(w, ps, IL_BAD_BINARY);
        return;
    }
    il_rec r;
    int rc;
    switch (ps->fmt) {
    case IL_FMT_IIS:
        rc = il_parse_iis(s, n, &r, o->native_tz_local ? 0 : o->native_tz);
        if (rc < 0 && o->native_tz_local && r.t != INT64_MIN)
            r.t = local_to_utc(ps, r.t);
        break;
    case IL_FMT_NCSA:
        rc = il_parse_ncsa(s, n, &r);
        break;
    default: {
        const il_layout *l = ps->layout.n ? &ps->layout : o->fields.n ? &o->fields : NULL;
        rc = il_parse_w3c_lean(s, n, l, ps->fmt, &r);
        break;
    }
    }
    count_rec(w, ps, rc, &r);
}

/* A parsed line: counted, or counted as bad (rc >= 0, an il_bad). */
IL_HOT_INLINE void count_rec(worker *w, parse_state *ps, int rc, il_rec *r)
{
    if (rc >= 0) {
        bad(w, ps, (il_bad)rc);
        return;
    }
    if (!r->site.n && ps->site[0]) {
        r->site.p = ps->site;
        r->site.n = ps->site_len;
    }
    if (!w->sh->filtering || filter_pass(&w->sh->o->filter, r))
        il_agg_add(w->agg, r);
}

/* Process the complete lines in buf[0..n). When final, a last line without
 * a line end is processed too; else its start is returned for carrying.
 * cut_end: the range ends inside a line (counted as too long). */
static size_t lines(worker *w, parse_state *ps, const char *buf, size_t n,
                    int final, int cut_end)
{
    size_t i = 0;
    /* the fast path for W3C data lines (the format of nearly every IIS
     * log): one pass finds the line's end and its spaces; anything unusual
     * (a directive, the file's first line, a line near the end of the
     * buffer or past the limits) takes the general path below */
    const il_engine_opts *o = w->sh->o;
    il_w3c_scan_fn scan = il_w3c_scanner();
    while (i < n) {
        /* as data_line chooses them (a directive may have changed them) */
        const il_layout *lay = ps->layout.n ? &ps->layout : o->fields.n ? &o->fields : NULL;
        if (lay && !o->general_path && ps->fmt != IL_FMT_IIS && ps->fmt != IL_FMT_NCSA &&
            (ps->line || !ps->file_start)) {
            /* data lines one after another, until one needs the general path
             * (the layout cannot change without a directive, which does) */
            uint32_t ebuf[1 + IL_SCAN_END_CAP], *end = ebuf + 1;
            ebuf[0] = UINT32_MAX; /* as il_parse_w3c_scanned needs */
            int data = 0;
            while (i < n && buf[i] != '#' && buf[i] != '\0') {
                size_t len;
                int k = scan(buf + i, n - i, o->max_line, end, &len);
                if (k < 0 || len > o->max_line)
                    break;
                ps->line++;
                size_t ln = len && buf[i + len - 1] == '\r' ? len - 1 : len;
                if (ln) {
                    data = 1;
                    il_rec r;
                    int rc = il_parse_w3c_scanned(buf + i, ln, end, k, lay, ps->fmt, &r);
                    count_rec(w, ps, rc, &r);
                }
                i += len + 1;
            }
            if (data) { /* a data line ends the directive block */
                ps->has_block_date = 0;
                ps->fields_in_block = 0;
            }
            if (i >= n)
                break;
        }
        const char *nl = memchr(buf + i, '\n', n - i);
        if (!nl && !final)
            return i;
        size_t e = nl ? (size_t)(nl - buf) : n;
        ps->line++;
        if (!nl && cut_end) {
            bad(w, ps, IL_BAD_TOO_LONG);
            return n;
        }
        size_t len = e - i;
        if (len && buf[i + len - 1] == '\r')
            len--;
        const char *s = buf + i;
        if (ps->line == 1 && ps->file_start && len >= 3 &&
            memcmp(s, "\xEF\xBB\xBF", 3) == 0) { /* a BOM only opens a file */
            s += 3;
            len -= 3;
        }
        if (len) {
            if (s[0] == '#') {
                directive(w, ps, s, len);
            } else {
                ps->has_block_date = 0; /* a data line ends the directive block */
                ps->fields_in_block = 0;
                data_line(w, ps, s, len);
            }
        }
        i = nl ? e + 1 : n;
    }
    return n;
}

static void progress(worker *w, uint64_t add)
{
    shared *sh = w->sh;
    uint64_t d = atomic_fetch_add(&sh->done_bytes, add) + add;
    if (!sh->o->progress)
        return;
    int expected = 0;
    if (atomic_compare_exchange_strong(&sh->progress_busy, &expected, 1)) {
        sh->o->progress(d, sh->total_bytes, sh->o->progress_ctx);
        atomic_store(&sh->progress_busy, 0);
    }
}

static void run_stream(worker *w, unit *u, uint32_t uidx)
{
    shared *sh = w->sh;
    il_file_info *fi = &sh->files[u->file];
    char err[512] = "";
    il_source *src = il_source_open(fi->path, err, sizeof err);
    if (!src) {
        snprintf(fi->error, sizeof fi->error, "%s", err);
        return;
    }
    fi->compressed = (int)il_source_kind(src);
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.fmt = sh->o->format;
    ps.path = fi->path;
    ps.site = fi->site;
    ps.site_len = strlen(fi->site);
    ps.unit = uidx;
    ps.file_start = 1;
    ps.tz_hour = INT64_MIN;
    size_t have = 0;
    int skipping = 0; /* inside a line longer than the buffer */
    int first = 1;
    for (;;) {
        int64_t got = il_source_read(src, w->buf + have, w->cap - have, err, sizeof err);
        if (got < 0) {
            snprintf(fi->error, sizeof fi->error, "%s", err);
            break;
        }
        if (first && got > 0) {
            if (ps.fmt == IL_FMT_UNKNOWN)
                ps.fmt = il_detect_format(w->buf, have + (size_t)got, fi->path);
            if (ps.fmt == IL_FMT_UNKNOWN)
                ps.fmt = IL_FMT_W3C;
            fi->format = ps.fmt;
            first = 0;
        }
        u->bytes += (uint64_t)got;
        progress(w, (uint64_t)got);
        size_t n = have + (size_t)got;
        size_t start = 0;
        if (skipping) {
            const char *nl = memchr(w->buf, '\n', n);
            if (!nl) {
                have = 0;
                if (got == 0)
                    break;
                continue;
            }
            start = (size_t)(nl - w->buf) + 1;
            skipping = 0;
        }
        size_t used = start + lines(w, &ps, w->buf + start, n - start, got == 0, 0);
        if (got == 0)
            break;
        have = n - used;
        if (have == w->cap) { /* one line fills the buffer: too long */
            ps.line++;
            bad(w, &ps, IL_BAD_TOO_LONG);
            have = 0;
            skipping = 1;
            continue;
        }
        memmove(w->buf, w->buf + used, have);
    }
    u->lines = ps.line;
    il_source_close(src);
}

/* The layout in force at the start of chunk u (index ui). */
static il_layout entry_layout(shared *sh, size_t ui)
{
    il_layout none;
    memset(&none, 0, sizeof none);
    size_t j = ui;
    while (j > 0) {
        unit *p = &sh->units[--j];
        if (p->file != sh->units[ui].file)
            break;
        while (!atomic_load_explicit(&p->ready, memory_order_acquire))
            il_thread_yield();
        if (p->has_dir)
            return p->last;
        if (p->chunk_no == 0)
            break;
    }
    return none;
}

static void run_chunk(worker *w, unit *u, uint32_t uidx)
{
    shared *sh = w->sh;
    il_file_info *fi = &sh->files[u->file];
    size_t len = (size_t)(u->end - u->start);
    char err[512] = "";
    il_source *src = NULL;
    size_t got = 0;
    if (len <= w->cap)
        src = il_source_open(fi->path, err, sizeof err);
    while (src && got < len) {
        int64_t r = il_source_read_at(src, w->buf + got, len - got, u->start + (int64_t)got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    il_source_close(src);
    /* prescan: directives inside this chunk */
    const char *b = w->buf;
    size_t pos = 0;
    if (u->midline_start) {
        const char *nl = memchr(b, '\n', got);
        pos = nl ? (size_t)(nl - b) + 1 : got;
    }
    size_t i = pos;
    if (u->chunk_no == 0 && got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a BOM before the first directive */
    char bdate[10];
    int has_bdate = 0;
    int fields_here = 0; /* u->last came from the current directive block */
    size_t block_end = (size_t)-1; /* just after the previous directive line */
    while (i < got) {
        if (b[i] == '#') {
            const char *nl = memchr(b + i, '\n', got - i);
            size_t e = nl ? (size_t)(nl - b) : got;
            size_t l = e - i;
            if (l && b[i + l - 1] == '\r')
                l--;
            /* a new block unless only blank lines separate it from the last */
            int same = block_end != (size_t)-1 && block_end <= i;
            for (size_t j = block_end; same && j < i; j++)
                same = b[j] == '\r' || b[j] == '\n';
            if (!same) {
                has_bdate = 0;
                fields_here = 0;
            }
            il_layout lay;
            if (directive_date(b + i, l, bdate)) {
                has_bdate = 1;
                if (fields_here) { /* "#Fields" then "#Date": same block */
                    memcpy(u->last.date, bdate, 10);
                    u->last.has_date = 1;
                }
            } else if (fields_layout(b + i, l, bdate, has_bdate, &lay) > 0) {
                u->last = lay;
                u->has_dir = 1;
                fields_here = 1;
            }
            block_end = nl ? e + 1 : got;
        }
        /* next '#' that starts a line: '#' is rare in data lines, so
         * looking for it is much cheaper than visiting every line end */
        size_t j = i + 1;
        for (;;) {
            const char *h = j < got ? memchr(b + j, '#', got - j) : NULL;
            if (!h) {
                j = got;
                break;
            }
            j = (size_t)(h - b);
            if (b[j - 1] == '\n')
                break;
            j++;
        }
        i = j;
    }
    atomic_store_explicit(&u->ready, 1, memory_order_release);

    if (got < len && !fi->error[0])
        snprintf(fi->error, sizeof fi->error, "%s: %s", fi->path,
                 err[0] ? err : "file changed or could not be read while reading it");
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.fmt = sh->file_fmt[u->file];
    ps.path = fi->path;
    ps.site = fi->site;
    ps.site_len = strlen(fi->site);
    ps.unit = uidx;
    ps.file_start = u->chunk_no == 0;
    ps.tz_hour = INT64_MIN;
    ps.layout = entry_layout(sh, uidx);
    lines(w, &ps, b + pos, got - pos, 1, u->midline_end);
    u->lines = ps.line;
    u->bytes = got;
    progress(w, got);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        size_t ui = atomic_fetch_add(&sh->next, 1);
        if (ui >= sh->nunits)
            break;
        unit *u = &sh->units[ui];
        if (u->end < 0)
            run_stream(w, u, (uint32_t)ui);
        else
            run_chunk(w, u, (uint32_t)ui);
        atomic_store_explicit(&u->ready, 1, memory_order_release);
    }
    return NULL;
}

/* A zeroed unit at the end of the list (grown by doubling); NULL when
 * memory runs out (the list is unchanged). */
static unit *new_unit(shared *sh, size_t *ucap)
{
    if (sh->nunits == *ucap) {
        unit *nu = realloc(sh->units, *ucap * 2 * sizeof *nu);
        if (!nu)
            return NULL;
        sh->units = nu;
        *ucap *= 2;
    }
    unit *u = &sh->units[sh->nunits++];
    memset(u, 0, sizeof *u);
    return u;
}

/* Find the start of the first line at or after nominal offset b. Returns the
 * offset, and sets *mid when no line end was found within EDGE_SEARCH. */
static int64_t line_edge(il_source *src, int64_t b, int64_t size, char *tmp,
                         int *mid)
{
    /* look 4 KiB ahead first (a chunk edge is usually a few hundred bytes
     * from a line end), then 64 KiB; only when that does not settle it,
     * 1 MiB */
    static const size_t windows[3] = {(size_t)4 << 10, (size_t)64 << 10, EDGE_SEARCH};
    const int last = 2;
    *mid = 0;
    int64_t at = b - 1;
    for (int w = 0; w <= last; w++) {
        int64_t r = il_source_read_at(src, tmp, windows[w], at);
        if (r <= 0)
            return size;
        const char *nl = memchr(tmp, '\n', (size_t)r);
        int open = 0; /* the window ended before the answer did */
        if (nl) {
            /* never cut a directive block (or blank lines next to one): the
             * chunk scan reads a block's #Date and #Fields together */
            size_t p = (size_t)(nl - tmp) + 1;
            while (p < (size_t)r && (tmp[p] == '#' || tmp[p] == '\r' || tmp[p] == '\n')) {
                const char *n2 = memchr(tmp + p, '\n', (size_t)r - p);
                if (!n2) {
                    if (at + r >= size)
                        return size;
                    open = 1;
                    break;
                }
                p = (size_t)(n2 - tmp) + 1;
            }
            if (p == (size_t)r && at + r < size)
                open = 1; /* a directive may follow right after the window */
            if (!open || w == last)
                return at + (int64_t)p;
            continue;
        }
        if (at + r >= size)
            return size;
        if (w == last) {
            *mid = 1;
            return b;
        }
    }
    return size; /* not reached */
}

void il_files_free(il_file_info *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i].path);
    free(files);
}

il_status il_engine_files(const char *const *paths, size_t npaths,
                          il_file_info **files, size_t *nfiles, char *err,
                          size_t errcap)
{
    collect c;
    memset(&c, 0, sizeof c);
    *files = NULL;
    *nfiles = 0;
    for (size_t i = 0; i < npaths; i++) {
        size_t before = c.n;
        if (il_walk(paths[i], il_engine_want_file, add_file, &c) != 0) {
            snprintf(err, errcap, "%s: %s", paths[i], strerror(errno));
            il_files_free(c.files, c.n);
            return IL_E_USAGE;
        }
        if (c.oom) {
            snprintf(err, errcap, "out of memory");
            il_files_free(c.files, c.n);
            return IL_E_NOMEM;
        }
        if (c.n == before && il_is_dir(paths[i])) {
            snprintf(err, errcap, "%s: no log files (*.log, *.log.gz, *.log.zst) in this folder", paths[i]);
            il_files_free(c.files, c.n);
            return IL_E_USAGE;
        }
    }
    if (c.n == 0) {
        snprintf(err, errcap, "no input files");
        return IL_E_USAGE;
    }
    *files = c.files;
    *nfiles = c.n;
    return IL_OK;
}

il_status il_engine_run(const char *const *paths, size_t npaths,
                        const il_engine_opts *o, il_run *run, char *err,
                        size_t errcap)
{
    memset(run, 0, sizeof *run);
    double tplan = il_plat_now();
    collect c;
    memset(&c, 0, sizeof c);
    il_status fst = il_engine_files(paths, npaths, &c.files, &c.n, err, errcap);
    if (fst != IL_OK)
        return fst;

    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.o = o;
    sh.files = c.files;
    sh.filtering = o->filter.since != INT64_MIN || o->filter.until != INT64_MAX ||
                   o->filter.site || o->filter.url_prefix || o->filter.nstatus ||
                   o->filter.nclient;
    sh.file_fmt = calloc(c.n, sizeof *sh.file_fmt);
    size_t ucap = c.n + 16;
    sh.units = calloc(ucap, sizeof *sh.units);
    char *tmp = malloc(EDGE_SEARCH);
    if (!sh.file_fmt || !sh.units || !tmp)
        goto nomem_plan;
    size_t chunk = o->chunk ? o->chunk : IL_DEFAULT_CHUNK;
    for (size_t f = 0; f < c.n; f++) {
        char e2[512] = "";
        il_source *src = strcmp(c.files[f].path, "-") ? il_source_open(c.files[f].path, e2, sizeof e2) : NULL;
        int64_t size = src ? il_source_size(src) : -1;
        if (src && size >= 0)
            sh.total_bytes += (uint64_t)size;
        if (src && size > (int64_t)(2 * chunk)) {
            /* detect the format from the head, then cut into chunks */
            int64_t hr = il_source_read_at(src, tmp, 65536, 0);
            il_format fmt = o->format;
            if (fmt == IL_FMT_UNKNOWN && hr > 0)
                fmt = il_detect_format(tmp, (size_t)hr, c.files[f].path);
            if (fmt == IL_FMT_UNKNOWN)
                fmt = IL_FMT_W3C;
            sh.file_fmt[f] = fmt;
            c.files[f].format = fmt;
            int64_t start = 0;
            int mid_prev = 0;
            uint32_t no = 0;
            while (start < size) {
                int64_t end = start + (int64_t)chunk;
                int mid = 0;
                if (end >= size - (int64_t)(chunk / 2))
                    end = size;
                else
                    end = line_edge(src, end, size, tmp, &mid);
                unit *u = new_unit(&sh, &ucap);
                if (!u) {
                    il_source_close(src);
                    goto nomem_plan;
                }
                u->file = f;
                u->start = start;
                u->end = end;
                u->chunk_no = no++;
                u->midline_start = (uint8_t)mid_prev;
                u->midline_end = (uint8_t)mid;
                mid_prev = mid;
                start = end;
            }
        } else {
            unit *u = new_unit(&sh, &ucap);
            if (!u) {
                il_source_close(src);
                goto nomem_plan;
            }
            u->file = f;
            u->end = -1;
        }
        il_source_close(src);
    }
    free(tmp);

    unsigned nt = o->threads ? o->threads : il_plat_ncpu();
    if (nt > 64)
        nt = 64;
    if (nt > sh.nunits)
        nt = (unsigned)sh.nunits;
    if (nt == 0)
        nt = 1;
    worker *w = calloc(nt, sizeof *w);
    if (!w) {
        free(sh.file_fmt);
        free(sh.units);
        goto nomem;
    }
    uint64_t seed = il_random_seed();
    int fail = 0;
    double tm0 = il_plat_now();
    for (unsigned i = 0; i < nt; i++) {
        w[i].sh = &sh;
        w[i].cap = chunk + chunk / 2 + EDGE_SEARCH + 16;
        w[i].buf = malloc(w[i].cap);
        w[i].agg = il_agg_new(&o->lim, seed);
        if (!w[i].buf || !w[i].agg)
            fail = 1;
    }
    if (!fail) {
        for (unsigned i = 1; i < nt; i++) {
            w[i].thr = il_thread_start(worker_main, &w[i]);
            if (!w[i].thr)
                fail = 1;
        }
        worker_main(&w[0]); /* the calling thread works too */
        for (unsigned i = 1; i < nt; i++)
            il_thread_join(w[i].thr);
    }
    double tm1 = il_plat_now();
    for (unsigned i = 1; i < nt && !fail; i++)
        if (!il_agg_merge(w[0].agg, w[i].agg))
            fail = 1;
    if (getenv("IISLENS_TIMING"))
        fprintf(stderr,
                "iislens: timing: %u threads, %zu units, plan %.3f s, read+parse %.3f s, "
                "merge %.3f s\n",
                nt, sh.nunits, tm0 - tplan, tm1 - tm0, il_plat_now() - tm1);

    /* per-file totals, and line numbers of the malformed samples */
    uint64_t *base = calloc(sh.nunits + 1, sizeof *base);
    for (size_t ui = 0; ui < sh.nunits; ui++) {
        unit *u = &sh.units[ui];
        c.files[u->file].lines += u->lines;
        c.files[u->file].bytes += u->bytes;
        run->bytes += u->bytes;
        if (base)
            base[ui] = (ui > 0 && sh.units[ui - 1].file == u->file)
                           ? base[ui - 1] + sh.units[ui - 1].lines
                           : 0;
        if (u->end >= 0 && !c.files[u->file].format)
            c.files[u->file].format = sh.file_fmt[u->file];
    }
    if (!fail && base)
        il_agg_fix_lines(w[0].agg, base, sh.nunits);
    if (!fail)
        il_agg_finish(w[0].agg);
    free(base);
    for (unsigned i = 0; i < nt; i++) {
        free(w[i].buf);
        if (i > 0 || fail)
            il_agg_free(w[i].agg);
    }
    run->agg = fail ? NULL : w[0].agg;
    run->threads = nt;
    free(w);
    free(sh.file_fmt);
    free(sh.units);
    run->files = c.files;
    run->nfiles = c.n;
    if (fail) {
        il_run_free(run);
        return IL_E_NOMEM;
    }
    return IL_OK;

nomem_plan: /* out of memory while planning the work units */
    free(tmp);
    free(sh.file_fmt);
    free(sh.units);
nomem:
    for (size_t i = 0; i < c.n; i++)
        free(c.files[i].path);
    free(c.files);
    snprintf(err, errcap, "out of memory");
    return IL_E_NOMEM;
}

void il_run_free(il_run *run)
{
    if (!run)
        return;
    il_agg_free(run->agg);
    for (size_t i = 0; i < run->nfiles; i++)
        free(run->files[i].path);
    free(run->files);
    memset(run, 0, sizeof *run);
}
