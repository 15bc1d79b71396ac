/*
 * bench_kb.c - how fast the knowledge base answers. The report (issue 3)
 * classifies every distinct status triple it meets and the explain parser
 * reads every pasted line, so both must cost next to nothing. Each figure
 * is printed with a reference measured in the same run (parsing the same
 * numbers with strtoul), so the ratio means something on a noisy machine.
 */
#define _POSIX_C_SOURCE 200809L
#include "iislens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const triples[] = {
    "200 0 0", "304 0 0", "401 2 5", "401 1 2148074254", "200 0 64",
    "500 19 13", "404 0 2", "502 3 12002", "403 14 0", "206 0 995",
    "500 0 2147942405", "404 7 0", "503 2 0", "401 1 1326", "302 0 0",
};
#define NT (sizeof triples / sizeof triples[0])

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 2000000;
    unsigned st[NT];
    long long sub[NT], w32[NT];
    for (size_t i = 0; i < NT; i++) {
        char *e;
        st[i] = (unsigned)strtoul(triples[i], &e, 10);
        sub[i] = strtoll(e, &e, 10);
        w32[i] = strtoll(e, &e, 10);
    }

    /* reference: parse the three numbers of a triple with strtoul */
    volatile unsigned long sink = 0;
    double t0 = now();
    for (long i = 0; i < iters; i++) {
        const char *s = triples[i % NT];
        char *e;
        sink += strtoul(s, &e, 10);
        sink += strtoul(e, &e, 10);
        sink += strtoul(e, &e, 10);
    }
    double ref = now() - t0;

    t0 = now();
    for (long i = 0; i < iters; i++) {
        size_t k = (size_t)i % NT;
        sink += (unsigned long)il_classify(st[k], sub[k], w32[k]);
    }
    double cls = now() - t0;

    il_explain_parser *p = il_explain_parser_new(NULL);
    long piters = iters / 10;
    t0 = now();
    for (long i = 0; i < piters; i++) {
        const char *s = triples[i % NT];
        il_explain_parse(p, s, strlen(s));
        if (i % 5000 == 4999) { /* stay under the parser's query cap */
            il_explain_parser_free(p);
            p = il_explain_parser_new(NULL);
        }
    }
    double prs = now() - t0;
    il_explain_parser_free(p);

    printf("strtoul x3 (reference): %8.1f ns/triple\n", ref / (double)iters * 1e9);
    printf("il_classify:            %8.1f ns/triple  (%.1fx the reference)\n",
           cls / (double)iters * 1e9, cls / ref);
    printf("il_explain_parse:       %8.1f ns/group   (%.1fx the reference)\n",
           prs / (double)piters * 1e9, (prs / (double)piters) / (ref / (double)iters));
    return sink == 42 ? 1 : 0;
}
