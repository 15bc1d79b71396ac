/*
 * source.c - input sources (source.h): a file or stdin, plain, gzip or zstd.
 *
 * Layers: raw_read() serves the bytes peeked at open (the pushback), then
 * the file (il_file_read_at at a running offset, or stdio for stdin and
 * non-seekable paths). Plain content goes from raw_read() straight into the
 * caller's buffer; compressed content is refilled 256 KiB at a time into
 * s->in and decoded into the caller's buffer, never more than it holds.
 * Errors during a read are kept in s->reason and returned once the bytes
 * decoded before them have been handed out.
 */
#include "source.h"
#include "platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef IL_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef IL_HAVE_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

#define SRC_INBUF ((size_t)256 * 1024) /* compressed input per refill */
#define SRC_MAXIO ((size_t)1 << 30)    /* at most 1 GiB per call */
#define SRC_PEEK 4                     /* magic bytes looked at */
#define ZS_WINDOWLOG 27                 /* zstd window limit: 128 MiB, zstd's default */

struct il_source {
    char *name;                   /* for messages: path, or "standard input" */
    il_src_kind kind;
    il_file *file;                /* read with il_file_read_at, or NULL */
    FILE *fp;                     /* stdin or a non-seekable path, or NULL */
    int own_fp;                   /* fp was opened here (not stdin) */
    int64_t raw_pos;              /* next offset in file */
    unsigned char back[SRC_PEEK]; /* pushback: the bytes peeked at open */
    size_t nback, backpos;
    int raw_eof;                  /* the raw bytes have ended */
    int sys_errno;                /* errno of the last failed raw read */
    int done;                     /* the content has ended */
    int failed;                   /* reason holds an error to report */
    char reason[200];
    unsigned char *in;            /* compressed input (SRC_INBUF bytes) */
    size_t in_pos, in_len;        /* unread input is in[in_pos, in_len) */
    int64_t in_off;               /* offset in the raw stream of in[0] */
#ifdef IL_HAVE_ZLIB
    z_stream z;
    int z_ready;                  /* inflateInit2 succeeded */
    int z_between;                /* a gzip member has ended */
#endif
#ifdef IL_HAVE_ZSTD
    ZSTD_DStream *zd;
    size_t z_hint;                /* last ZSTD_decompressStream result; 0 = frame done */
#endif
};

/* "name: reason" into err, truncated, always terminated. */
static void put_err(char *err, size_t errcap, const char *name, const char *reason)
{
    if (!err || errcap == 0)
        return;
    snprintf(err, errcap, "%s: %s", name, reason);
}

static const char *errno_text(int e)
{
    return e ? strerror(e) : "read error";
}

/* Keep an error for il_source_read to report (first one wins). */
static void fail(il_source *s, const char *reason)
{
    if (s->failed)
        return;
    s->failed = 1;
    snprintf(s->reason, sizeof s->reason, "%s", reason);
}

#if defined(IL_HAVE_ZLIB) || defined(IL_HAVE_ZSTD)
static void fail_at(il_source *s, const char *what, int64_t at, const char *detail)
{
    char r[sizeof s->reason];
    if (detail && *detail)
        snprintf(r, sizeof r, "corrupt %s data at byte %lld (%s)", what, (long long)at, detail);
    else
        snprintf(r, sizeof r, "corrupt %s data at byte %lld", what, (long long)at);
    fail(s, r);
}
#endif

/* Up to n bytes from the file (or stdio stream): bytes read, 0 at the end,
 * -1 on error (errno kept in s->sys_errno). */
static int64_t raw_file_read(il_source *s, unsigned char *buf, size_t n)
{
    if (s->raw_eof || n == 0)
        return 0;
    if (n > SRC_MAXIO)
        n = SRC_MAXIO;
    errno = 0;
    if (s->fp) {
        size_t r = fread(buf, 1, n, s->fp);
        if (r == 0 && ferror(s->fp)) {
            s->sys_errno = errno;
            clearerr(s->fp);
            return -1;
        }
        if (r < n && feof(s->fp))
            s->raw_eof = 1;
        return (int64_t)r;
    }
    int64_t r = il_file_read_at(s->file, buf, n, s->raw_pos);
    if (r < 0) {
        s->sys_errno = errno;
        return -1;
    }
    if (r == 0)
        s->raw_eof = 1;
    s->raw_pos += r;
    return r;
}

/* Up to n raw bytes: the pushback first, then the file. Returns bytes read,
 * 0 at the end, -1 on error (errno kept in s->sys_errno). */
static int64_t raw_read(il_source *s, unsigned char *buf, size_t n)
{
    if (s->backpos < s->nback) {
        size_t k = s->nback - s->backpos;
        if (k > n)
            k = n;
        memcpy(buf, s->back + s->backpos, k);
        s->backpos += k;
        /* top up from the file; an error there shows on the next call */
        int64_t r = k < n ? raw_file_read(s, buf + k, n - k) : 0;
        return (int64_t)k + (r > 0 ? r : 0);
    }
    return raw_file_read(s, buf, n);
}

#if defined(IL_HAVE_ZLIB) || defined(IL_HAVE_ZSTD)
/* Make at least `need` unread bytes available in s->in, unless the raw
 * stream ends first. Returns 0, or -1 after a read error (kept in s). */
static int fill(il_source *s, size_t need)
{
    if (s->in_len - s->in_pos >= need)
        return 0;
    if (s->in_pos > 0) {
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_off += (int64_t)s->in_pos;
        s->in_len -= s->in_pos;
        s->in_pos = 0;
    }
    while (s->in_len < need && !s->raw_eof) {
        int64_t r = raw_read(s, s->in + s->in_len, SRC_INBUF - s->in_len);
        if (r < 0) {
            fail(s, errno_text(s->sys_errno));
            return -1;
        }
        s->in_len += (size_t)r;
    }
    return 0;
}
#endif

/* ---- gzip -------------------------------------------------------------- */

#ifdef IL_HAVE_ZLIB
static int gz_start(il_source *s)
{
    memset(&s->z, 0, sizeof s->z);
    /* 15 + 32: the largest window, header detected (gzip here) */
    if (inflateInit2(&s->z, 15 + 32) != Z_OK)
        return -1;
    s->z_ready = 1;
    return 0;
}

/* After a member: another member (gzip magic), zero padding (skipped),
 * the end, or garbage. Returns 1 to go on decoding, 0 to stop. */
static int gz_next_member(il_source *s)
{
    for (;;) {
        if (fill(s, 2) < 0)
            return 0;
        size_t avail = s->in_len - s->in_pos;
        const unsigned char *p = s->in + s->in_pos;
        if (avail == 0) {
            s->done = 1;
            return 0;
        }
        if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
            inflateReset(&s->z);
            s->z_between = 0;
            return 1;
        }
        if (p[0] != 0) {
            if (avail == 1 && p[0] == 0x1f)
                fail(s, "truncated gzip stream");
            else
                fail_at(s, "gzip", s->in_off + (int64_t)s->in_pos,
                        "not a gzip member after the previous one");
            return 0;
        }
        while (s->in_pos < s->in_len && s->in[s->in_pos] == 0)
            s->in_pos++;
    }
}

static size_t gz_read(il_source *s, unsigned char *out, size_t cap)
{
    s->z.next_out = out;
    s->z.avail_out = (uInt)cap;
    while (s->z.avail_out > 0 && !s->failed && !s->done) {
        if (s->z_between) {
            if (!gz_next_member(s))
                break;
        }
        if (s->in_pos == s->in_len && fill(s, 1) < 0)
            break;
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        switch (rc) {
        case Z_OK:
            break;
        case Z_STREAM_END:
            s->z_between = 1;
            break;
        case Z_BUF_ERROR: /* no progress: out of input */
            if (s->in_pos == s->in_len && s->raw_eof)
                fail(s, "truncated gzip stream");
            break;
        case Z_MEM_ERROR:
            fail(s, "out of memory");
            break;
        default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
            fail_at(s, "gzip", s->in_off + (int64_t)s->in_pos, s->z.msg);
            break;
        }
    }
    return cap - s->z.avail_out;
}
#endif

/* ---- zstd -------------------------------------------------------------- */

#ifdef IL_HAVE_ZSTD
static size_t zs_read(il_source *s, unsigned char *out, size_t cap)
{
    ZSTD_outBuffer ob = {out, cap, 0};
    while (ob.pos < ob.size && !s->failed && !s->done) {
        if (s->in_pos == s->in_len && fill(s, 1) < 0)
            break;
        if (s->in_pos == s->in_len && s->z_hint == 0) {
            s->done = 1; /* every frame complete and flushed */
            break;
        }
        ZSTD_inBuffer ib = {s->in, s->in_len, s->in_pos};
        size_t out_before = ob.pos, in_before = ib.pos;
        size_t r = ZSTD_decompressStream(s->zd, &ob, &ib);
        s->in_pos = ib.pos;
        if (ZSTD_isError(r)) {
            int64_t at = s->in_off + (int64_t)s->in_pos;
            if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge) {
                char m[sizeof s->reason];
                snprintf(m, sizeof m,
                         "zstd frame at byte %lld needs a window over %u MiB "
                         "(made with zstd --long?); not supported",
                         (long long)at, 1u << (ZS_WINDOWLOG - 20));
                fail(s, m);
            } else if (ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation) {
                fail(s, "out of memory");
            } else {
                fail_at(s, "zstd", at, ZSTD_getErrorName(r));
            }
            break;
        }
        s->z_hint = r;
        if (ob.pos == out_before && ib.pos == in_before && s->in_pos == s->in_len &&
            s->raw_eof)
            fail(s, "truncated zstd stream");
    }
    return ob.pos;
}
#endif

/* ---- the interface ----------------------------------------------------- */

static char *copy_str(const char *p)
{
    size_t n = strlen(p) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, p, n);
    return c;
}

/* Fill the pushback with up to SRC_PEEK bytes. A file that cannot be read
 * at an offset (FIFO, pipe, terminal) is reopened with stdio before any byte
 * has been consumed. Returns 0, or -1 with errno in s->sys_errno. */
static int peek(il_source *s, const char *path)
{
    size_t have = 0;
    while (have < SRC_PEEK) {
        int64_t r = raw_read(s, s->back + have, SRC_PEEK - have);
        if (r < 0) {
#ifdef ESPIPE
            if (s->file && s->raw_pos == 0 && s->sys_errno == ESPIPE) {
                FILE *fp = fopen(path, "rb");
                if (fp) {
                    il_file_close(s->file);
                    s->file = NULL;
                    s->fp = fp;
                    s->own_fp = 1;
                    continue;
                }
            }
#endif
            return -1;
        }
        if (r == 0)
            break;
        have += (size_t)r;
    }
    s->nback = have;
    s->backpos = 0;
    return 0;
}

static il_src_kind detect(const unsigned char *b, size_t n)
{
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return IL_SRC_GZIP;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
        return IL_SRC_ZSTD;
    if (n >= 4 && (b[0] & 0xf0) == 0x50 && b[1] == 0x2a && b[2] == 0x4d && b[3] == 0x18)
        return IL_SRC_ZSTD; /* skippable frame */
    return IL_SRC_PLAIN;
}

/* Set up the decoder for s->kind. Returns 0, or -1 with the message (naming
 * s->name) in err. */
static int start_decoder(il_source *s, char *err, size_t errcap)
{
    const char *fmt = s->kind == IL_SRC_GZIP ? "gzip" : "zstd";
    int have = 0;
#ifdef IL_HAVE_ZLIB
    if (s->kind == IL_SRC_GZIP)
        have = 1;
#endif
#ifdef IL_HAVE_ZSTD
    if (s->kind == IL_SRC_ZSTD)
        have = 1;
#endif
    if (s->kind == IL_SRC_PLAIN)
        return 0;
    if (!have) {
        if (err && errcap)
            snprintf(err, errcap, "%s is %s-compressed; this build of iislens has no %s support",
                     s->name, fmt, fmt);
        return -1;
    }
    s->in = malloc(SRC_INBUF);
    int ok = s->in != NULL;
#ifdef IL_HAVE_ZLIB
    if (ok && s->kind == IL_SRC_GZIP)
        ok = gz_start(s) == 0;
#endif
#ifdef IL_HAVE_ZSTD
    if (ok && s->kind == IL_SRC_ZSTD) {
        s->zd = ZSTD_createDStream();
        ok = s->zd != NULL &&
             !ZSTD_isError(ZSTD_DCtx_setParameter(s->zd, ZSTD_d_windowLogMax, ZS_WINDOWLOG));
        s->z_hint = 1; /* nothing decoded yet: a frame is due */
    }
#endif
    if (!ok) {
        put_err(err, errcap, s->name, "out of memory");
        return -1;
    }
    return 0;
}

il_source *il_source_open(const char *path, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = '\0';
    if (!path || !*path) {
        put_err(err, errcap, "(no path)", "no file named");
        return NULL;
    }
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "standard input" : path;
    il_source *s = calloc(1, sizeof *s);
    char *copy = copy_str(name);
    if (!s || !copy) {
        free(s);
        free(copy);
        put_err(err, errcap, name, "out of memory");
        return NULL;
    }
    s->name = copy;
    if (is_stdin) {
        s->fp = stdin;
    } else {
        errno = 0;
        s->file = il_file_open(path);
        if (!s->file) {
            put_err(err, errcap, name, errno_text(errno));
            il_source_close(s);
            return NULL;
        }
    }
    if (peek(s, path) < 0) {
        put_err(err, errcap, name, errno_text(s->sys_errno));
        il_source_close(s);
        return NULL;
    }
    s->kind = detect(s->back, s->nback);
    if (start_decoder(s, err, errcap) < 0) {
        il_source_close(s);
        return NULL;
    }
    return s;
}

il_src_kind il_source_kind(const il_source *s)
{
    return s ? s->kind : IL_SRC_PLAIN;
}

int64_t il_source_size(const il_source *s)
{
    if (!s || s->kind != IL_SRC_PLAIN || !s->file)
        return -1;
    return il_file_size(s->file);
}

int64_t il_source_read(il_source *s, void *buf, size_t cap, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = '\0';
    if (!s)
        return -1;
    if (!buf || cap == 0) {
        put_err(err, errcap, s->name, "read into an empty buffer");
        return -1;
    }
    if (cap > SRC_MAXIO)
        cap = SRC_MAXIO;
    size_t got = 0;
    if (!s->failed && !s->done) {
        switch (s->kind) {
        case IL_SRC_PLAIN: {
            int64_t r = raw_read(s, buf, cap);
            if (r < 0)
                fail(s, errno_text(s->sys_errno));
            else if (r == 0)
                s->done = 1;
            else
                got = (size_t)r;
            break;
        }
        case IL_SRC_GZIP:
#ifdef IL_HAVE_ZLIB
            got = gz_read(s, buf, cap);
#endif
            break;
        case IL_SRC_ZSTD:
#ifdef IL_HAVE_ZSTD
            got = zs_read(s, buf, cap);
#endif
            break;
        }
    }
    if (got > 0)
        return (int64_t)got;
    if (s->failed) {
        put_err(err, errcap, s->name, s->reason);
        return -1;
    }
    return 0;
}

int64_t il_source_read_at(il_source *s, void *buf, size_t cap, int64_t off)
{
    if (!s || s->kind != IL_SRC_PLAIN || !s->file || !buf || off < 0)
        return -1;
    if (cap > SRC_MAXIO)
        cap = SRC_MAXIO;
    return il_file_read_at(s->file, buf, cap, off);
}

void il_source_close(il_source *s)
{
    if (!s)
        return;
#ifdef IL_HAVE_ZLIB
    if (s->z_ready)
        inflateEnd(&s->z);
#endif
#ifdef IL_HAVE_ZSTD
    ZSTD_freeDStream(s->zd);
#endif
    free(s->in);
    il_file_close(s->file);
    if (s->own_fp)
        fclose(s->fp);
    free(s->name);
    free(s);
}
