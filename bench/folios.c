/*
 * folios.c - how the Linux page cache holds a file: the share of its pages
 * in folios of each size (4 KiB pages alone, or grouped in large folios of
 * 16 KiB, 64 KiB, ... 2 MiB). bench/report.sh prints it next to its
 * timings, because `wc -l`, the benchmark's reference, copies a file held
 * in 64 KiB folios about a fifth faster than the same file in 4 KiB pages
 * (docs/BENCHMARKS.md, fourth tuning session): a freshly written copy is
 * held in large folios, a file read back after eviction mostly is not.
 *
 * Usage: folios FILE
 *
 * It maps FILE read-only, touches every page (which reads into the cache
 * whatever was not there), and reads each page's frame from
 * /proc/self/pagemap and that frame's flags from /proc/kpageflags (folio
 * head and tail bits). Both need root (or CAP_SYS_ADMIN); without them, or
 * off Linux, it prints "unknown" and exits 0, since the benchmark goes on
 * without it. Exit 2 on a usage error or a file that cannot be mapped.
 */
#define _GNU_SOURCE
#include <stdio.h>

#if defined(__linux__)
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096u
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define MAX_ORDER_SEEN 20 /* folios up to 2^19 pages (2 GiB) */

/* 8 bytes at off in fd; 0 when the read fails */
static int read_u64(int fd, uint64_t off, uint64_t *v)
{
    return pread(fd, v, sizeof *v, (off_t)off) == (ssize_t)sizeof *v;
}

/* Add a folio of n pages to the histogram by size class (log2, rounded up). */
static void count_folio(uint64_t *pages_by_order, uint64_t n)
{
    unsigned o = 0;
    while (o + 1 < MAX_ORDER_SEEN && ((uint64_t)1 << o) < n)
        o++;
    pages_by_order[o] += n;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: folios FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    uint64_t npages = (uint64_t)st.st_size / PAGE;
    if (npages == 0) {
        printf("unknown (file under one page)\n");
        return 0;
    }
    size_t len = (size_t)(npages * PAGE);
    const volatile unsigned char *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        perror(argv[1]);
        return 2;
    }
    int pm = open("/proc/self/pagemap", O_RDONLY);
    int kf = open("/proc/kpageflags", O_RDONLY);
    if (pm < 0 || kf < 0) {
        printf("unknown (needs root to read /proc/kpageflags)\n");
        return 0;
    }
    uint64_t by_order[MAX_ORDER_SEEN] = {0};
    uint64_t run = 0, unmapped = 0;
    uint64_t first = (uint64_t)(uintptr_t)m / PAGE;
    for (uint64_t i = 0; i < npages; i++) {
        (void)m[i * PAGE]; /* map the page (a volatile read is always made) */
        uint64_t e, flags;
        if (!read_u64(pm, (first + i) * 8, &e) || !(e >> 63)) {
            unmapped++;
            continue;
        }
        uint64_t pfn = e & (((uint64_t)1 << 55) - 1);
        if (pfn == 0 || !read_u64(kf, pfn * 8, &flags)) {
            printf("unknown (no page frame numbers: needs root)\n");
            return 0;
        }
        if ((flags >> KPF_COMPOUND_TAIL) & 1) {
            run++; /* continues the folio its head opened (a head not seen:
                      counted as a folio of the tails seen) */
            continue;
        }
        if (run)
            count_folio(by_order, run);
        run = (flags >> KPF_COMPOUND_HEAD) & 1; /* a head opens a folio */
        if (!run)
            by_order[0]++;
    }
    if (run)
        count_folio(by_order, run);
    printf("page cache:");
    const char *sep = " ";
    for (unsigned o = 0; o < MAX_ORDER_SEEN; o++) {
        if (!by_order[o])
            continue;
        double pct = 100.0 * (double)by_order[o] / (double)npages;
        if (pct < 0.05) /* the end of a file is often held in a few small folios */
            printf("%s<0.1 %% in %llu KiB folios", sep, (unsigned long long)(PAGE / 1024) << o);
        else
            printf("%s%.1f %% in %llu KiB folios", sep, pct, (unsigned long long)(PAGE / 1024) << o);
        sep = ", ";
    }
    if (unmapped)
        printf("%s%.1f %% not mapped", sep, 100.0 * (double)unmapped / (double)npages);
    printf("\n");
    return 0;
}

#else
int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("unknown (not Linux)\n");
    return 0;
}
#endif
