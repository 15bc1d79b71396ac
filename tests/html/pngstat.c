/*
 * pngstat.c - tells whether a screenshot shows something, for
 * tests/html/check.sh: prints "WIDTH HEIGHT COLORS INK" where COLORS is the
 * number of distinct colours (counted up to 65536) and INK the per mille of
 * pixels that differ from the most common colour (the background).
 *
 * Reads 8-bit truecolour PNGs (RGB or RGBA, not interlaced), which is what
 * Chromium writes; anything else is an error (exit 1). Uses zlib.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(const char *msg)
{
    fprintf(stderr, "pngstat: %s\n", msg);
    return 1;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

#define HBITS 18
#define HSIZE (1u << HBITS)

int main(int argc, char **argv)
{
    if (argc != 2)
        return fail("usage: pngstat FILE.png");
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return fail("cannot open the file");
    static unsigned char sig[8];
    if (fread(sig, 1, 8, f) != 8 || memcmp(sig, "\x89PNG\r\n\x1a\n", 8) != 0)
        return fail("not a PNG");
    uint32_t w = 0, h = 0;
    int ch = 0;
    unsigned char *z = NULL;
    size_t zn = 0;
    for (;;) {
        unsigned char hd[8];
        if (fread(hd, 1, 8, f) != 8)
            return fail("truncated");
        uint32_t len = be32(hd);
        if (len > (1u << 30))
            return fail("chunk too long");
        unsigned char *d = malloc(len + 4);
        if (!d || fread(d, 1, len + 4, f) != len + 4)
            return fail("truncated chunk");
        if (!memcmp(hd + 4, "IHDR", 4)) {
            if (len < 13)
                return fail("bad IHDR");
            w = be32(d);
            h = be32(d + 4);
            if (d[8] != 8 || (d[9] != 2 && d[9] != 6) || d[12] != 0)
                return fail("only 8-bit RGB/RGBA, not interlaced");
            ch = d[9] == 6 ? 4 : 3;
            if (!w || !h || w > 20000 || h > 50000)
                return fail("odd size");
        } else if (!memcmp(hd + 4, "IDAT", 4)) {
            unsigned char *nz = realloc(z, zn + len);
            if (!nz)
                return fail("out of memory");
            z = nz;
            memcpy(z + zn, d, len);
            zn += len;
        } else if (!memcmp(hd + 4, "IEND", 4)) {
            free(d);
            break;
        }
        free(d);
    }
    fclose(f);
    if (!ch || !z)
        return fail("no image data");
    size_t stride = (size_t)w * (size_t)ch, rawn = (stride + 1) * h;
    unsigned char *raw = malloc(rawn);
    uLongf outn = (uLongf)rawn;
    if (!raw || uncompress(raw, &outn, z, (uLong)zn) != Z_OK || outn != rawn)
        return fail("cannot inflate the image data");
    /* undo the filters in place */
    for (uint32_t y = 0; y < h; y++) {
        unsigned char *row = raw + y * (stride + 1) + 1, *up = y ? row - (stride + 1) : NULL;
        int ft = row[-1];
        for (size_t x = 0; x < stride; x++) {
            int a = x >= (size_t)ch ? row[x - ch] : 0, b = up ? up[x] : 0;
            int c = up && x >= (size_t)ch ? up[x - ch] : 0;
            int v = ft == 0 ? 0 : ft == 1 ? a : ft == 2 ? b : ft == 3 ? (a + b) / 2 : ft == 4 ? paeth(a, b, c) : -1;
            if (v < 0)
                return fail("bad filter type");
            row[x] = (unsigned char)(row[x] + v);
        }
    }
    /* distinct colours in an open-addressing set, with their counts */
    uint32_t *key = calloc(HSIZE, sizeof *key);
    uint64_t *cnt = calloc(HSIZE, sizeof *cnt);
    if (!key || !cnt)
        return fail("out of memory");
    unsigned colors = 0;
    for (uint32_t y = 0; y < h; y++) {
        const unsigned char *row = raw + y * (stride + 1) + 1;
        for (uint32_t x = 0; x < w; x++) {
            const unsigned char *px = row + (size_t)x * ch;
            uint32_t k = (uint32_t)px[0] << 16 | (uint32_t)px[1] << 8 | px[2] | 1u << 24;
            uint32_t i = (k * 2654435761u) >> (32 - HBITS);
            while (key[i] && key[i] != k)
                i = (i + 1) & (HSIZE - 1);
            if (!key[i]) {
                if (colors >= 65536)
                    continue;
                key[i] = k;
                colors++;
            }
            cnt[i]++;
        }
    }
    uint64_t top = 0;
    for (uint32_t i = 0; i < HSIZE; i++)
        if (cnt[i] > top)
            top = cnt[i];
    uint64_t all = (uint64_t)w * h;
    printf("%u %u %u %llu\n", (unsigned)w, (unsigned)h, colors,
           (unsigned long long)((all - top) * 1000 / all));
    free(key);
    free(cnt);
    free(raw);
    free(z);
    return 0;
}
