/*
 * readpath.c - how fast can a file in the page cache be read? The engine
 * copies each chunk into its own buffer with pread (src/lib/source.c); this
 * times that against mapping the same windows with mmap, which skips the
 * copy but pays for page-table entries and their removal. Each way counts
 * the file's line feeds eight bytes at a time, so the work beyond getting
 * at the bytes is the same for each and small.
 *
 *   readpath FILE [WINDOW_KIB] [RUNS]
 *
 * Ways, run in turn RUNS times (default 5; WINDOW default 2048 KiB, the
 * engine's chunk): pread into one buffer; mmap of each window; the same
 * with MAP_POPULATE; the same with madvise(MADV_POPULATE_READ). Prints the
 * median and minimum milliseconds of each. One thread: the question is the
 * cost per byte, which two threads split. Linux only (bench/ tool).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

enum { WAY_PREAD, WAY_MMAP, WAY_MMAP_POPULATE, WAY_MADV_POPULATE, WAYS };
static const char *const way_name[WAYS] = {
    "pread into a buffer",
    "mmap each window",
    "mmap each window, MAP_POPULATE",
    "mmap each window, MADV_POPULATE_READ",
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Line feeds in p[0..n), counted with little work next to the reading:
 * with SSE2, sixteen bytes a step into byte counters summed every 255
 * steps; else eight bytes a step (a byte is '\n' when its xor with 0x0A is
 * zero). */
static size_t count_lf(const char *p, size_t n)
{
    size_t c = 0, i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i acc = zero; /* each byte counts to at most 255 */
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, lf));
        }
        __m128i sum = _mm_sad_epu8(acc, zero); /* two 64-bit sums */
        c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
    }
#else
    const uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t x = w ^ (ones * '\n');
        /* 1 in each byte of x that is zero, then the bytes summed */
        uint64_t z = ~(((x & low7) + low7) | x | low7) >> 7;
        c += (size_t)((z * ones) >> 56);
    }
#endif
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}

/* Lines of fd (size bytes) read the given way; SIZE_MAX on failure. */
static size_t read_way(int way, int fd, off_t size, size_t window, char *buf)
{
    size_t lines = 0;
    for (off_t off = 0; off < size; off += (off_t)window) {
        size_t len = size - off < (off_t)window ? (size_t)(size - off) : window;
        if (way == WAY_PREAD) {
            size_t got = 0;
            while (got < len) {
                ssize_t r = pread(fd, buf + got, len - got, off + (off_t)got);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    return (size_t)-1;
                got += (size_t)r;
            }
            lines += count_lf(buf, len);
            continue;
        }
        int flags = MAP_PRIVATE | (way == WAY_MMAP_POPULATE ? MAP_POPULATE : 0);
        char *m = mmap(NULL, len, PROT_READ, flags, fd, off);
        if (m == MAP_FAILED)
            return (size_t)-1;
        if (way == WAY_MADV_POPULATE)
            (void)madvise(m, len, MADV_POPULATE_READ); /* older kernels: EINVAL */
        lines += count_lf(m, len);
        munmap(m, len);
    }
    return lines;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: readpath FILE [WINDOW_KIB] [RUNS]\n");
        return 2;
    }
    long kib = argc > 2 ? strtol(argv[2], NULL, 10) : 2048;
    long runs = argc > 3 ? strtol(argv[3], NULL, 10) : 5;
    if (kib < 4 || kib > 1024 * 1024 || runs < 1 || runs > 1000) {
        fprintf(stderr, "readpath: WINDOW_KIB 4..1048576, RUNS 1..1000\n");
        return 2;
    }
    size_t window = (size_t)kib * 1024; /* a multiple of the page size for mmap */
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0)
        window = (window + (size_t)page - 1) / (size_t)page * (size_t)page;
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "readpath: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char *buf = malloc(window);
    double *ms = malloc(sizeof *ms * (size_t)runs * WAYS);
    if (!buf || !ms) {
        fprintf(stderr, "readpath: out of memory\n");
        return 1;
    }
    memset(buf, 0, window); /* its pages exist before the first timed read */
    size_t lines[WAYS];
    for (long r = 0; r < runs; r++) {
        for (int w = 0; w < WAYS; w++) {
            double t0 = now_ms();
            lines[w] = read_way(w, fd, st.st_size, window, buf);
            ms[w * runs + r] = now_ms() - t0;
            if (lines[w] == (size_t)-1) {
                fprintf(stderr, "readpath: %s: %s: %s\n", argv[1], way_name[w], strerror(errno));
                return 1;
            }
        }
    }
    printf("%s: %lld bytes, %zu lines, windows of %zu KiB, %ld runs each (interleaved)\n",
           argv[1], (long long)st.st_size, lines[0], window / 1024, runs);
    for (int w = 0; w < WAYS; w++) {
        double *v = ms + w * runs;
        qsort(v, (size_t)runs, sizeof *v, cmp_double);
        printf("  %-40s median %7.1f ms  min %7.1f ms%s\n", way_name[w], v[runs / 2], v[0],
               lines[w] == lines[0] ? "" : "  (line count differs!)");
    }
    free(ms);
    free(buf);
    close(fd);
    return 0;
}
