/*
 * reader.c - records one at a time with all their columns (see reader.h).
 *
 * Each file is read through source.c in blocks; lines are cut in the block
 * (a partial last line is carried to the next read), directives update the
 * layout and its column names, data lines are split into columns and
 * parsed into an il_rec. Same line rules as the engine: a BOM opens only a
 * file, a #Date gives time-only records their day, lines over max_line and
 * value-count mismatches are malformed (counted, skipped).
 */
#include "reader.h"
#include "internal.h"
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)4 << 20)
#define MAX_NAMES 256

struct il_reader {
    il_engine_opts o;
    il_file_info *files;
    size_t nfiles, cur;
    il_source *src;
    char *buf;
    size_t cap, have, pos;
    int eof, skipping, started;
    il_format fmt;
    il_layout layout;
    char *fields_text;                     /* names of the layout, NUL-split */
    const char *names[IL_MAX_FIELDS + 1];
    const char *guess_names[IL_MAX_FIELDS + 1];
    char other_names[IL_MAX_FIELDS][16];
    char block_date[10];
    int has_block_date;
    int fields_in_block;                   /* layout is from the current block */
    uint64_t line, malformed;
    char *all_names[MAX_NAMES + 1];
    size_t nall;
};

static void add_name(il_reader *r, const char *s, size_t n)
{
    if (r->nall == MAX_NAMES || n == 0)
        return;
    for (size_t i = 0; i < r->nall; i++)
        if (il_casecmp(r->all_names[i], strlen(r->all_names[i]), s, n) == 0)
            return;
    char *c = malloc(n + 1);
    if (!c)
        return;
    memcpy(c, s, n);
    c[n] = '\0';
    r->all_names[r->nall++] = c;
}

/* Names for the columns of a layout built without #Fields. */
static void layout_names(il_reader *r, const il_layout *l, const char **out)
{
    for (int c = 0; c < l->n; c++) {
        const char *nm = il_field_name((il_field)l->col[c]);
        if (!*nm) {
            snprintf(r->other_names[c], sizeof r->other_names[c], "field%d", c + 1);
            nm = r->other_names[c];
        }
        out[c] = nm;
    }
    out[l->n] = NULL;
}

/* Collect the #Fields names of the first 64 KiB of every file. */
static void prescan(il_reader *r)
{
    static const char *const fixed[] = {"date", "time"};
    for (size_t i = 0; i < 2; i++)
        add_name(r, fixed[i], strlen(fixed[i]));
    char *head = malloc(65536);
    if (!head)
        return;
    for (size_t f = 0; f < r->nfiles; f++) {
        if (strcmp(r->files[f].path, "-") == 0)
            continue; /* standard input can be read only once */
        char err[256];
        il_source *s = il_source_open(r->files[f].path, err, sizeof err);
        if (!s)
            continue;
        size_t got = 0;
        int64_t k;
        while (got < 65536 && (k = il_source_read(s, head + got, 65536 - got, err, sizeof err)) > 0)
            got += (size_t)k;
        il_source_close(s);
        il_format fmt = r->o.format ? r->o.format : il_detect_format(head, got, r->files[f].path);
        int found = 0;
        size_t i = 0;
        while (i < got) {
            const char *nl = memchr(head + i, '\n', got - i);
            size_t e = nl ? (size_t)(nl - head) : got, len = e - i;
            const char *line = head + i;
            if (len && line[len - 1] == '\r')
                len--;
            if (len > 8 && il_casecmp(line, 8, "#Fields:", 8) == 0) {
                il_str cols[IL_MAX_FIELDS];
                const char *p = line + 8;
                size_t pn = len - 8;
                while (pn && *p == ' ') {
                    p++;
                    pn--;
                }
                int nc = il_split_w3c(p, pn, cols, IL_MAX_FIELDS);
                for (int c = 0; c < nc; c++)
                    add_name(r, cols[c].p, cols[c].n);
                found = 1;
            } else if (!found && len && line[0] != '#' &&
                       (fmt == IL_FMT_W3C || fmt == IL_FMT_FTP || fmt == IL_FMT_HTTPERR)) {
                il_layout l;
                const char *nm[IL_MAX_FIELDS + 1];
                if (il_layout_guess(line, len, fmt, &l)) {
                    layout_names(r, &l, nm);
                    for (int c = 0; c < l.n; c++)
                        add_name(r, nm[c], strlen(nm[c]));
                }
                found = 1;
            }
            i = nl ? e + 1 : got;
        }
    }
    free(head);
    r->all_names[r->nall] = NULL;
}

il_status il_reader_open(const char *const *paths, size_t npaths,
                         const il_engine_opts *o, il_reader **out, char *err,
                         size_t errcap)
{
    *out = NULL;
    il_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return IL_E_NOMEM;
    }
    r->o = *o;
    if (!r->o.max_line)
        r->o.max_line = 65536;
    il_status st = il_engine_files(paths, npaths, &r->files, &r->nfiles, err, errcap);
    if (st != IL_OK) {
        free(r);
        return st;
    }
    r->cap = BLOCK;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        il_reader_close(r);
        snprintf(err, errcap, "out of memory");
        return IL_E_NOMEM;
    }
    prescan(r);
    *out = r;
    return IL_OK;
}

void il_reader_close(il_reader *r)
{
    if (!r)
        return;
    il_source_close(r->src);
    il_files_free(r->files, r->nfiles);
    free(r->buf);
    free(r->fields_text);
    for (size_t i = 0; i < r->nall; i++)
        free(r->all_names[i]);
    free(r);
}

size_t il_reader_nfiles(const il_reader *r)
{
    return r->nfiles;
}

const il_file_info *il_reader_file(const il_reader *r, size_t i)
{
    return i < r->nfiles ? &r->files[i] : NULL;
}

uint64_t il_reader_malformed(const il_reader *r)
{
    return r->malformed;
}

const char *const *il_reader_field_names(const il_reader *r)
{
    return (const char *const *)r->all_names;
}

/* Start file r->cur: open it, reset the per-file state. 0 when it cannot. */
static int open_file(il_reader *r)
{
    il_file_info *fi = &r->files[r->cur];
    char err[512] = "";
    r->src = il_source_open(fi->path, err, sizeof err);
    if (!r->src) {
        snprintf(fi->error, sizeof fi->error, "%s", err);
        return 0;
    }
    fi->compressed = (int)il_source_kind(r->src);
    r->have = r->pos = 0;
    r->eof = r->skipping = r->started = 0;
    r->fmt = r->o.format;
    memset(&r->layout, 0, sizeof r->layout);
    r->names[0] = NULL;
    r->has_block_date = 0;
    r->fields_in_block = 0;
    r->line = 0;
    return 1;
}

/* The next line of the current file (line, len); 0 at its end. */
static int next_line(il_reader *r, const char **line, size_t *len)
{
    il_file_info *fi = &r->files[r->cur];
    for (;;) {
        if (r->pos < r->have) {
            const char *s = r->buf + r->pos;
            const char *nl = memchr(s, '\n', r->have - r->pos);
            if (nl || r->eof) {
                size_t n = nl ? (size_t)(nl - s) : r->have - r->pos;
                r->pos += n + (nl ? 1 : 0);
                if (r->skipping) { /* the rest of an over-long line */
                    r->skipping = 0;
                    continue;
                }
                if (n && s[n - 1] == '\r')
                    n--;
                r->line++;
                if (r->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
                    s += 3;
                    n -= 3;
                }
                *line = s;
                *len = n;
                return 1;
            }
        }
        if (r->eof)
            return 0;
        /* keep the partial line, read more */
        size_t keep = r->have - r->pos;
        memmove(r->buf, r->buf + r->pos, keep);
        r->have = keep;
        r->pos = 0;
        if (r->have == r->cap) { /* one line fills the buffer */
            r->line++;
            r->malformed++;
            r->have = 0;
            r->skipping = 1;
        }
        char err[512] = "";
        int64_t got = il_source_read(r->src, r->buf + r->have, r->cap - r->have, err, sizeof err);
        if (got < 0) {
            snprintf(fi->error, sizeof fi->error, "%s", err);
            r->eof = 1;
            continue;
        }
        if (got == 0) {
            r->eof = 1;
            continue;
        }
        if (!r->started) {
            r->started = 1;
            if (r->fmt == IL_FMT_UNKNOWN)
                r->fmt = il_detect_format(r->buf, r->have + (size_t)got, fi->path);
            if (r->fmt == IL_FMT_UNKNOWN)
                r->fmt = IL_FMT_W3C;
            fi->format = r->fmt;
        }
        r->have += (size_t)got;
        fi->bytes += (uint64_t)got;
    }
}

static void directive(il_reader *r, const char *s, size_t n)
{
    if (n >= 16 && il_casecmp(s, 6, "#Date:", 6) == 0) {
        size_t i = 6;
        while (i < n && s[i] == ' ')
            i++;
        if (n - i >= 10 && s[i + 4] == '-' && s[i + 7] == '-') {
            memcpy(r->block_date, s + i, 10);
            r->has_block_date = 1;
            if (r->fields_in_block) { /* "#Fields" then "#Date": same block */
                memcpy(r->layout.date, r->block_date, 10);
                r->layout.has_date = 1;
            }
        }
        return;
    }
    if (n < 8 || il_casecmp(s, 8, "#Fields:", 8) != 0)
        return;
    il_layout l;
    if (!il_layout_parse(&l, s + 8, n - 8)) {
        r->malformed++;
        return;
    }
    if (r->has_block_date) {
        memcpy(l.date, r->block_date, 10);
        l.has_date = 1;
    }
    char *text = malloc(n - 8 + 1);
    if (!text) {
        r->malformed++;
        return;
    }
    memcpy(text, s + 8, n - 8);
    text[n - 8] = '\0';
    free(r->fields_text);
    r->fields_text = text;
    il_str cols[IL_MAX_FIELDS];
    char *p = text;
    while (*p == ' ')
        p++;
    /* the whole line, as il_layout_parse read it: a NUL byte inside a
     * name must not end the list early */
    int nc = il_split_w3c(p, (size_t)(text + (n - 8) - p), cols, IL_MAX_FIELDS);
    if (nc < 0)
        nc = 0;
    for (int c = 0; c < nc; c++) {
        ((char *)cols[c].p)[cols[c].n] = '\0';
        r->names[c] = cols[c].p;
    }
    /* and every column of the layout has a name, whatever the split found */
    for (; nc < l.n && nc < IL_MAX_FIELDS; nc++) {
        snprintf(r->other_names[nc], sizeof r->other_names[nc], "field%d", nc + 1);
        r->names[nc] = r->other_names[nc];
    }
    r->names[nc] = NULL;
    r->layout = l;
    r->fields_in_block = 1;
}

int il_reader_next(il_reader *r, il_row *row)
{
    for (;;) {
        if (!r->src) {
            if (r->cur >= r->nfiles)
                return 0;
            if (!open_file(r)) {
                r->cur++;
                continue;
            }
        }
        const char *s;
        size_t n;
        if (!next_line(r, &s, &n)) {
            r->files[r->cur].lines = r->line;
            il_source_close(r->src);
            r->src = NULL;
            r->cur++;
            continue;
        }
        if (n == 0)
            continue;
        if (s[0] == '#') {
            directive(r, s, n);
            continue;
        }
        r->has_block_date = 0;
        r->fields_in_block = 0;
        if (n > r->o.max_line || s[0] == '\0') {
            r->malformed++;
            continue;
        }
        int rc;
        row->ncol = 0;
        row->names = NULL;
        if (r->fmt == IL_FMT_IIS) {
            rc = il_parse_iis(s, n, &row->rec, r->o.native_tz);
        } else if (r->fmt == IL_FMT_NCSA) {
            rc = il_parse_ncsa(s, n, &row->rec);
        } else {
            const il_layout *l = r->layout.n ? &r->layout : r->o.fields.n ? &r->o.fields : NULL;
            il_layout guessed;
            if (!l) {
                if (!il_layout_guess(s, n, r->fmt, &guessed)) {
                    r->malformed++;
                    continue;
                }
                l = &guessed;
                layout_names(r, l, r->guess_names);
                row->names = r->guess_names;
            } else if (l == &r->layout) {
                row->names = r->names;
            } else {
                layout_names(r, l, r->guess_names);
                row->names = r->guess_names;
            }
            /* one split: the parse hands back the values it found */
            rc = il_parse_w3c_cols(s, n, l, r->fmt, &row->rec, row->col, &row->ncol);
        }
        if (rc >= 0) {
            r->malformed++;
            continue;
        }
        const char *site = r->files[r->cur].site;
        if (!row->rec.site.n && site[0]) {
            row->rec.site.p = site;
            row->rec.site.n = strlen(site);
        }
        row->file = r->cur;
        row->line = r->line;
        return 1;
    }
}
