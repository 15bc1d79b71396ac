#define _POSIX_C_SOURCE 200809L /* strdup, dirent */
/*
 * replay.c - runs a libFuzzer target's entry point over files, so that the
 * seed corpus and every crash found (tests/fuzz/regress/) are replayed by
 * `make test` with gcc and the sanitizers, no clang needed. Arguments are
 * files or directories (one level). Prints one TAP line per file.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static void run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("not ok %d - cannot open %s\n", ++n, path);
        return;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(fp);
    if (!buf) {
        printf("not ok %d - out of memory on %s\n", ++n, path);
        return;
    }
    /* copy to an exact-size block so ASan sees reads past the end */
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    printf("ok %d - replay %s\n", ++n, path);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0)
            continue;
        if (!S_ISDIR(st.st_mode)) {
            run_file(argv[i]);
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        char **names = NULL;
        size_t cnt = 0;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            names = realloc(names, (cnt + 1) * sizeof *names);
            names[cnt++] = strdup(e->d_name);
        }
        if (d)
            closedir(d);
        for (size_t k = 0; k < cnt; k++) { /* stable order for stable output */
            for (size_t m = k + 1; m < cnt; m++)
                if (strcmp(names[m], names[k]) < 0) {
                    char *t = names[k];
                    names[k] = names[m];
                    names[m] = t;
                }
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]);
            run_file(path);
            free(names[k]);
        }
        free(names);
    }
    printf("1..%d\n", n);
    return 0;
}
