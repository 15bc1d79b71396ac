/* test_source.c - input sources: plain, gzip (one and several members) and
 * zstd (one and several frames) files read back byte for byte with buffers
 * of 1, 7, 4096 and 1 MiB bytes; truncated and corrupt streams; positional
 * reads; standard input, a pipe and a FIFO (the magic bytes must survive the
 * peek). The content (3 MB of log-like text) is larger than the source's
 * 256 KiB input buffer, and its compressed forms are too, so refills happen.
 * Files live in a fresh directory under $TMPDIR (or /tmp), removed at the end. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef IL_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef IL_HAVE_ZSTD
#include <zstd.h>
#endif

#define CONTENT_BYTES ((size_t)3 * 1000 * 1000)
#define INBUF ((size_t)256 * 1024)

static char dir[512];
static char made[40][600];
static int nmade;

/* dir/name, remembered for cleanup */
static const char *tpath(const char *name)
{
    if (nmade >= 40) {
        fprintf(stderr, "too many temp files\n");
        exit(1);
    }
    snprintf(made[nmade], sizeof made[nmade], "%s/%s", dir, name);
    return made[nmade++];
}

static void cleanup(void)
{
    for (int i = 0; i < nmade; i++)
        unlink(made[i]);
    if (dir[0])
        rmdir(dir);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        cleanup();
        exit(1);
    }
}

static unsigned char *load_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    size_t cap = 0, len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *q = realloc(p, cap);
            if (!q)
                break;
            p = q;
        }
        size_t r = fread(p + len, 1, cap - len, f);
        if (r == 0)
            break;
        len += r;
    }
    fclose(f);
    *n = len;
    return p;
}

/* ---- content: pseudo-random, log-like, deterministic -------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static unsigned char *make_content(size_t n)
{
    static const char *const verbs[] = {"GET", "POST", "HEAD", "PUT"};
    static const char *const pages[] = {"default.aspx", "api/orders", "img/logo.png",
                                        "login", "Scripts/app.js", "health"};
    unsigned char *p = malloc(n);
    size_t len = 0;
    if (!p)
        return NULL;
    while (len < n) {
        char line[400];
        int k = snprintf(line, sizeof line,
                         "2024-05-%02u %02u:%02u:%02u 10.0.%u.%u %s /%s q=%08x%08x 443 - "
                         "203.0.113.%u Mozilla/5.0+(Windows+NT+10.0) - %u %u %u %u\r\n",
                         1 + rnd() % 28, rnd() % 24, rnd() % 60, rnd() % 60, rnd() % 256,
                         rnd() % 256, verbs[rnd() % 4], pages[rnd() % 6], rnd(), rnd(),
                         rnd() % 256, 200 + rnd() % 4 * 100, rnd() % 20, rnd() % 100,
                         rnd() % 5000);
        size_t m = (size_t)k < n - len ? (size_t)k : n - len;
        memcpy(p + len, line, m);
        len += m;
    }
    return p;
}

/* ---- reading back --------------------------------------------------------- */

/* Read s to its end (or error) with buffers of bs bytes. Returns the last
 * il_source_read result (0 or -1); the bytes read go to *out (malloc'd). */
static int64_t slurp(il_source *s, size_t bs, unsigned char **out, size_t *outlen,
                     char *err, size_t errcap)
{
    unsigned char *buf = malloc(bs);
    size_t cap = CONTENT_BYTES * 2 + 1024, len = 0;
    unsigned char *all = malloc(cap);
    int64_t r = -1;
    if (!buf || !all) {
        free(buf);
        free(all);
        *out = NULL;
        *outlen = 0;
        return -2;
    }
    for (;;) {
        r = il_source_read(s, buf, bs, err, errcap);
        if (r <= 0)
            break;
        if ((size_t)r > bs || len + (size_t)r > cap) {
            r = -2; /* more than asked for, or far more than the content */
            break;
        }
        memcpy(all + len, buf, (size_t)r);
        len += (size_t)r;
    }
    free(buf);
    *out = all;
    *outlen = len;
    return r;
}

static int same(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

/* Open path, check the kind, and read it back whole with each buffer size.
 * For path "-", stdin is first reopened on the file stdin_file each time. */
static void roundtrip2(const char *label, const char *path, const char *stdin_file,
                       il_src_kind kind, const unsigned char *want, size_t wantlen)
{
    static const size_t sizes[] = {1, 7, 4096, (size_t)1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char err[300] = "";
        if (stdin_file && !freopen(stdin_file, "rb", stdin)) {
            TAP_OK(0, "%s: freopen %s: %s", label, stdin_file, strerror(errno));
            return;
        }
        il_source *s = il_source_open(path, err, sizeof err);
        TAP_OK(s != NULL, "%s: opens (buffer %zu)%s%s", label, sizes[i], err[0] ? ": " : "", err);
        if (!s)
            continue;
        if (i == 0)
            TAP_EQ_U(il_source_kind(s), kind, "%s: kind detected from the magic", label);
        unsigned char *got;
        size_t gotlen;
        int64_t r = slurp(s, sizes[i], &got, &gotlen, err, sizeof err);
        TAP_OK(r == 0, "%s: read to the end with a %zu-byte buffer%s%s", label, sizes[i],
               err[0] ? ": " : "", err);
        TAP_OK(same(got, gotlen, want, wantlen), "%s: %zu bytes read match byte for byte",
               label, gotlen);
        TAP_OK(il_source_read(s, got, 16, err, sizeof err) == 0, "%s: 0 again after the end",
               label);
        free(got);
        il_source_close(s);
    }
}

static void roundtrip(const char *label, const char *path, il_src_kind kind,
                      const unsigned char *want, size_t wantlen)
{
    roundtrip2(label, path, NULL, kind, want, wantlen);
}

/* Read path whole with 64 KiB buffers; expect -1 with a message that names
 * the path and contains `what`. Returns the bytes read before the error. */
static size_t expect_fail(const char *label, const char *path, const char *name,
                          const char *what, const unsigned char *content)
{
    char err[300] = "";
    il_source *s = il_source_open(path, err, sizeof err);
    TAP_OK(s != NULL, "%s: opens%s%s", label, err[0] ? ": " : "", err);
    if (!s)
        return 0;
    unsigned char *got;
    size_t gotlen;
    int64_t r = slurp(s, 65536, &got, &gotlen, err, sizeof err);
    TAP_OK(r == -1, "%s: read gives -1 (got %lld after %zu bytes)", label, (long long)r, gotlen);
    TAP_OK(strstr(err, what) != NULL, "%s: message says \"%s\": %s", label, what, err);
    TAP_OK(strncmp(err, name, strlen(name)) == 0 && err[strlen(name)] == ':',
           "%s: message starts with the path", label);
    if (content)
        TAP_OK(gotlen < CONTENT_BYTES && memcmp(got, content, gotlen) == 0,
               "%s: the %zu bytes before the damage are returned first", label, gotlen);
    char err2[300] = "";
    unsigned char b[16];
    TAP_OK(il_source_read(s, b, sizeof b, err2, sizeof err2) == -1 && strcmp(err, err2) == 0,
           "%s: the error repeats", label);
    free(got);
    il_source_close(s);
    return gotlen;
}

/* ---- pipes ------------------------------------------------------------------ */

/* In a child: write p[0..n) to fd and exit (1 on failure). */
static void write_all_exit(int fd, const unsigned char *p, size_t n)
{
    signal(SIGPIPE, SIG_DFL);
    while (n > 0) {
        ssize_t w = write(fd, p, n > 65536 ? 65536 : n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(1);
        p += w;
        n -= (size_t)w;
    }
    _exit(0);
}

static void test_fifo(const char *name, const unsigned char *data, size_t n, il_src_kind kind,
                      const unsigned char *content)
{
    const char *path = tpath(name);
    if (mkfifo(path, 0600) != 0) {
        TAP_OK(0, "%s: mkfifo %s: %s", name, path, strerror(errno));
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        if (fd < 0)
            _exit(1);
        write_all_exit(fd, data, n);
    }
    char err[300] = "";
    il_source *s = il_source_open(path, err, sizeof err);
    TAP_OK(s != NULL, "%s: opens%s%s", name, err[0] ? ": " : "", err);
    if (s) {
        TAP_EQ_U(il_source_kind(s), kind, "%s: kind detected", name);
        TAP_OK(il_source_size(s) == -1, "%s: size unknown", name);
        unsigned char b[8];
        TAP_OK(il_source_read_at(s, b, sizeof b, 0) == -1, "%s: no positional reads", name);
        unsigned char *got;
        size_t gotlen;
        int64_t r = slurp(s, 4096, &got, &gotlen, err, sizeof err);
        TAP_OK(r == 0 && same(got, gotlen, content, CONTENT_BYTES),
               "%s: read whole, byte for byte (%zu bytes)%s%s", name, gotlen, err[0] ? ": " : "",
               err);
        free(got);
        il_source_close(s);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: the writer finished", name);
}

/* stdin as a pipe fed by a child: the peeked bytes must not be lost. */
static void test_stdin_pipe(const unsigned char *content)
{
    int fds[2];
    if (pipe(fds) != 0) {
        TAP_OK(0, "stdin pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        write_all_exit(fds[1], content, CONTENT_BYTES);
    }
    close(fds[1]);
    if (dup2(fds[0], 0) < 0) {
        TAP_OK(0, "stdin pipe: dup2: %s", strerror(errno));
        return;
    }
    close(fds[0]);
    clearerr(stdin);
    char err[300] = "";
    il_source *s = il_source_open("-", err, sizeof err);
    TAP_OK(s != NULL, "stdin pipe: opens%s%s", err[0] ? ": " : "", err);
    if (s) {
        TAP_EQ_U(il_source_kind(s), IL_SRC_PLAIN, "stdin pipe: plain");
        TAP_OK(il_source_size(s) == -1, "stdin pipe: size unknown");
        unsigned char *got;
        size_t gotlen;
        int64_t r = slurp(s, 7, &got, &gotlen, err, sizeof err);
        TAP_OK(r == 0 && same(got, gotlen, content, CONTENT_BYTES),
               "stdin pipe: read whole with 7-byte buffers, first bytes kept (%zu bytes)",
               gotlen);
        free(got);
        il_source_close(s);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    TAP_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "stdin pipe: the writer finished");
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/iislens-test-source.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);

    unsigned char *content = make_content(CONTENT_BYTES);
    if (!content) {
        cleanup();
        return 1;
    }
    char err[300];
    unsigned char b[1024];
    (void)load_file; /* unused in builds without zlib */
    (void)expect_fail;

    /* plain */
    const char *plain = tpath("u_ex240501.log");
    write_file(plain, content, CONTENT_BYTES);
    roundtrip("plain", plain, IL_SRC_PLAIN, content, CONTENT_BYTES);
    il_source *s = il_source_open(plain, err, sizeof err);
    TAP_OK(s != NULL, "plain: opens");
    if (s) {
        TAP_OK(il_source_size(s) == (int64_t)CONTENT_BYTES, "plain: size is the file's");
        TAP_OK(il_source_read(s, b, 100, err, sizeof err) == 100 && memcmp(b, content, 100) == 0,
               "plain: first 100 bytes");
        TAP_OK(il_source_read_at(s, b, 500, 1234567) == 500 &&
                   memcmp(b, content + 1234567, 500) == 0,
               "plain: read_at 500 bytes at 1234567");
        TAP_OK(il_source_read_at(s, b, 2, 0) == 2 && memcmp(b, content, 2) == 0,
               "plain: read_at of the peeked bytes");
        TAP_OK(il_source_read_at(s, b, 100, (int64_t)CONTENT_BYTES - 40) == 40,
               "plain: read_at near the end is short");
        TAP_OK(il_source_read_at(s, b, 100, (int64_t)CONTENT_BYTES) == 0,
               "plain: read_at at the end gives 0");
        TAP_OK(il_source_read_at(s, b, 100, -1) == -1, "plain: read_at at a negative offset fails");
        TAP_OK(il_source_read(s, b, 100, err, sizeof err) == 100 &&
                   memcmp(b, content + 100, 100) == 0,
               "plain: read_at did not move the sequential position");
        TAP_OK(il_source_read(s, b, 0, err, sizeof err) == -1 && strstr(err, plain),
               "plain: a zero-byte buffer is refused, not taken for the end");
        il_source_close(s);
    }

    /* empty file, and a one-byte file that starts like gzip */
    const char *empty = tpath("empty.log");
    write_file(empty, "", 0);
    s = il_source_open(empty, err, sizeof err);
    TAP_OK(s != NULL, "empty: opens");
    if (s) {
        TAP_EQ_U(il_source_kind(s), IL_SRC_PLAIN, "empty: plain");
        TAP_OK(il_source_size(s) == 0, "empty: size 0");
        TAP_OK(il_source_read(s, b, sizeof b, err, sizeof err) == 0, "empty: read gives 0");
        TAP_OK(il_source_read(s, b, sizeof b, err, sizeof err) == 0, "empty: and 0 again");
        il_source_close(s);
    }
    const char *onebyte = tpath("onebyte.log");
    write_file(onebyte, "\x1f", 1);
    roundtrip("one byte 1f", onebyte, IL_SRC_PLAIN, (const unsigned char *)"\x1f", 1);

    /* missing file, directory, tiny err buffer */
    const char *missing = tpath("no-such.log");
    s = il_source_open(missing, err, sizeof err);
    TAP_OK(s == NULL, "missing: NULL");
    char want[700];
    snprintf(want, sizeof want, "%s: No such file or directory", missing);
    TAP_EQ_S(err, want, "missing: message names the path and the reason");
    char small[8];
    s = il_source_open(missing, small, sizeof small);
    TAP_OK(s == NULL && strlen(small) == 7 && strncmp(small, missing, 7) == 0,
           "missing: message truncated to a small err buffer");
    s = il_source_open(dir, err, sizeof err);
    TAP_OK(s == NULL && strstr(err, dir) && strstr(err, "directory"),
           "a directory is refused: %s", err);
    il_source_close(NULL);
    TAP_OK(1, "close(NULL) is a no-op");

    /* a FIFO carrying plain text */
    test_fifo("plain.fifo", content, CONTENT_BYTES, IL_SRC_PLAIN, content);

#ifdef IL_HAVE_ZLIB
    /* gzip, one member */
    const char *gz = tpath("u_ex240501.log.gz");
    gzFile g = gzopen(gz, "wb6");
    TAP_OK(g && gzwrite(g, content, (unsigned)CONTENT_BYTES) == (int)CONTENT_BYTES &&
               gzclose(g) == Z_OK,
           "gzip file written");
    size_t gzlen = 0;
    unsigned char *gzdata = load_file(gz, &gzlen);
    TAP_OK(gzdata && gzlen > INBUF, "gzip file (%zu bytes) is larger than the input buffer",
           gzlen);
    roundtrip("gzip", gz, IL_SRC_GZIP, content, CONTENT_BYTES);
    s = il_source_open(gz, err, sizeof err);
    if (s) {
        TAP_OK(il_source_size(s) == -1, "gzip: size unknown");
        TAP_OK(il_source_read_at(s, b, 10, 0) == -1, "gzip: no positional reads");
        il_source_close(s);
    }

    /* gzip, two members (the second appended by gzopen "ab"); a
     * name ending in .log must not matter */
    const char *gz2 = tpath("two-members.log");
    g = gzopen(gz2, "wb");
    int ok = g && gzwrite(g, content, 1000000) == 1000000 && gzclose(g) == Z_OK;
    g = gzopen(gz2, "ab");
    ok = ok && g &&
         gzwrite(g, content + 1000000, (unsigned)(CONTENT_BYTES - 1000000)) ==
             (int)(CONTENT_BYTES - 1000000) &&
         gzclose(g) == Z_OK;
    TAP_OK(ok, "two-member gzip file written");
    roundtrip("gzip 2 members", gz2, IL_SRC_GZIP, content, CONTENT_BYTES);

    if (gzdata) {
        /* trailing zero padding is ignored; other trailing bytes are not */
        unsigned char *pad = calloc(gzlen + 3000, 1);
        if (pad) {
            memcpy(pad, gzdata, gzlen);
            const char *gzpad = tpath("padded.gz");
            write_file(gzpad, pad, gzlen + 3000);
            roundtrip("gzip + zero padding", gzpad, IL_SRC_GZIP, content, CONTENT_BYTES);
            memcpy(pad + gzlen, "garbage", 7);
            const char *gzjunk = tpath("junk.gz");
            write_file(gzjunk, pad, gzlen + 7);
            char at[64];
            snprintf(at, sizeof at, "corrupt gzip data at byte %zu", gzlen);
            size_t n = expect_fail("gzip + garbage", gzjunk, gzjunk, at, NULL);
            TAP_EQ_U(n, CONTENT_BYTES, "gzip + garbage: all the content comes first");
            free(pad);
        }

        /* truncated in the middle, and in the trailer */
        const char *gzcut = tpath("cut.gz");
        write_file(gzcut, gzdata, gzlen / 2);
        expect_fail("gzip cut in half", gzcut, gzcut, "truncated gzip stream", content);
        const char *gzcut2 = tpath("cut-trailer.gz");
        write_file(gzcut2, gzdata, gzlen - 3);
        expect_fail("gzip cut in the trailer", gzcut2, gzcut2, "truncated gzip stream", NULL);

        /* corrupt: bytes flipped in the middle */
        unsigned char *bad = malloc(gzlen);
        if (bad) {
            memcpy(bad, gzdata, gzlen);
            for (size_t i = gzlen / 2; i < gzlen / 2 + 64; i++)
                bad[i] ^= 0xa5;
            const char *gzbad = tpath("corrupt.gz");
            write_file(gzbad, bad, gzlen);
            expect_fail("gzip corrupt", gzbad, gzbad, "corrupt gzip data at byte ", NULL);
            free(bad);
        }

        /* standard input, from a file */
        roundtrip2("stdin gzip", "-", gz, IL_SRC_GZIP, content, CONTENT_BYTES);
        if (freopen(gzcut, "rb", stdin))
            expect_fail("stdin gzip cut", "-", "standard input", "truncated gzip stream",
                        content);

        /* a FIFO (cannot be read at an offset) carrying gzip */
        test_fifo("gzip.fifo", gzdata, gzlen, IL_SRC_GZIP, content);
        free(gzdata);
    }

    /* only a gzip header; only the magic */
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    const char *gzhdr = tpath("header-only.gz");
    write_file(gzhdr, hdr, sizeof hdr);
    expect_fail("gzip header only", gzhdr, gzhdr, "truncated gzip stream", NULL);
    const char *gzmagic = tpath("magic-only.gz");
    write_file(gzmagic, hdr, 2);
    expect_fail("gzip magic only", gzmagic, gzmagic, "truncated gzip stream", NULL);
#else
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    const char *gzhdr = tpath("header-only.gz");
    write_file(gzhdr, hdr, sizeof hdr);
    s = il_source_open(gzhdr, err, sizeof err);
    TAP_OK(s == NULL && strstr(err, "no gzip support"), "no zlib: gzip refused: %s", err);
#endif

#ifdef IL_HAVE_ZSTD
    /* zstd, one frame with a checksum */
    size_t bound = ZSTD_compressBound(CONTENT_BYTES);
    unsigned char *zs = malloc(bound + 64);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    size_t zlen = 0;
    if (zs && cc) {
        ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 3);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
        zlen = ZSTD_compress2(cc, zs, bound, content, CONTENT_BYTES);
    }
    TAP_OK(zlen > INBUF && !ZSTD_isError(zlen),
           "zstd frame (%zu bytes) is larger than the input buffer", zlen);
    if (zlen > INBUF && !ZSTD_isError(zlen)) {
        const char *zst = tpath("u_ex240501.log.zst");
        write_file(zst, zs, zlen);
        roundtrip("zstd", zst, IL_SRC_ZSTD, content, CONTENT_BYTES);
        s = il_source_open(zst, err, sizeof err);
        if (s) {
            TAP_OK(il_source_size(s) == -1, "zstd: size unknown");
            TAP_OK(il_source_read_at(s, b, 10, 0) == -1, "zstd: no positional reads");
            il_source_close(s);
        }

        const char *zcut = tpath("cut.zst");
        write_file(zcut, zs, zlen / 2);
        expect_fail("zstd cut in half", zcut, zcut, "truncated zstd stream", content);
        const char *zcut2 = tpath("cut-end.zst");
        write_file(zcut2, zs, zlen - 2);
        expect_fail("zstd cut in the checksum", zcut2, zcut2, "truncated zstd stream", NULL);

        unsigned char *bad = malloc(zlen);
        if (bad) {
            memcpy(bad, zs, zlen);
            for (size_t i = zlen / 2; i < zlen / 2 + 64; i++)
                bad[i] ^= 0xa5;
            const char *zbad = tpath("corrupt.zst");
            write_file(zbad, bad, zlen);
            expect_fail("zstd corrupt", zbad, zbad, "corrupt zstd data at byte ", NULL);
            free(bad);
        }

        roundtrip2("stdin zstd", "-", zst, IL_SRC_ZSTD, content, CONTENT_BYTES);
    }

    /* zstd, a skippable frame then two frames (like pzstd output) */
    size_t half = CONTENT_BYTES / 2;
    unsigned char *z2 = malloc(bound + 256);
    size_t z2len = 0;
    if (z2) {
        static const unsigned char skip[12] = {0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4};
        memcpy(z2, skip, sizeof skip);
        z2len = sizeof skip;
        size_t a = ZSTD_compress(z2 + z2len, bound + 256 - z2len, content, half, 1);
        if (!ZSTD_isError(a)) {
            z2len += a;
            size_t c = ZSTD_compress(z2 + z2len, bound + 256 - z2len, content + half,
                                     CONTENT_BYTES - half, 1);
            z2len = ZSTD_isError(c) ? 0 : z2len + c;
        } else {
            z2len = 0;
        }
    }
    TAP_OK(z2len > 0, "two-frame zstd file made (%zu bytes)", z2len);
    if (z2len > 0) {
        const char *zst2 = tpath("two-frames.txt");
        write_file(zst2, z2, z2len);
        roundtrip("zstd 2 frames", zst2, IL_SRC_ZSTD, content, CONTENT_BYTES);
        const char *zst3 = tpath("two-frames-junk.zst");
        memcpy(z2 + z2len, "garbage!", 8);
        write_file(zst3, z2, z2len + 8);
        size_t n = expect_fail("zstd + garbage", zst3, zst3, "corrupt zstd data at byte", NULL);
        TAP_EQ_U(n, CONTENT_BYTES, "zstd + garbage: all the content comes first");
    }
    free(z2);
    free(zs);
    ZSTD_freeCCtx(cc);

    const char *zmagic = tpath("magic-only.zst");
    write_file(zmagic, "\x28\xb5\x2f\xfd", 4);
    expect_fail("zstd magic only", zmagic, zmagic, "truncated zstd stream", NULL);
#else
    const char *zmagic = tpath("magic-only.zst");
    write_file(zmagic, "\x28\xb5\x2f\xfd", 4);
    s = il_source_open(zmagic, err, sizeof err);
    snprintf(want, sizeof want, "%s is zstd-compressed; this build of iislens has no zstd support",
             zmagic);
    TAP_OK(s == NULL, "no zstd: zstd refused");
    TAP_EQ_S(err, want, "no zstd: message says so");
#endif

    /* last: stdin becomes a pipe */
    test_stdin_pipe(content);

    free(content);
    cleanup();
    return tap_done();
}
