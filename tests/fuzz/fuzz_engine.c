/*
 * fuzz_engine.c - libFuzzer target for the whole engine: the input is
 * written to a temporary log file and read four ways (one thread with the
 * default chunk size, the same with every line through the general path
 * instead of the one-pass W3C scan, one thread with 64-byte chunks, two
 * threads with 61-byte chunks). Checks: no crash, and the runs count
 * exactly the same requests, HTTPERR events, malformed lines per reason
 * (and name the same first ones) and status triples, whatever the chunk
 * boundaries cut (lines, CRLF, directives) and whichever path reads the
 * lines.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "engine.h"
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(const char *path, unsigned threads, size_t chunk, int general, il_run *out)
{
    il_engine_opts o;
    il_engine_default_opts(&o);
    o.threads = threads;
    o.chunk = chunk;
    o.general_path = general;
    o.max_line = 300;
    char err[256];
    const char *paths[] = {path};
    return il_engine_run(paths, 1, &o, out, err, sizeof err) == IL_OK;
}

static void same(const il_run *a, const il_run *b)
{
    const il_agg *x = a->agg, *y = b->agg;
    if (x->requests != y->requests || x->httperr != y->httperr ||
        memcmp(x->bad, y->bad, sizeof x->bad) != 0 || x->first != y->first ||
        x->last != y->last)
        abort();
    /* the first malformed lines named, in input order */
    for (int why = 0; why < IL__BAD_COUNT; why++) {
        if (x->nbad_sample[why] != y->nbad_sample[why])
            abort();
        for (uint32_t i = 0; i < x->nbad_sample[why]; i++)
            if (x->bad_sample[why][i].line != y->bad_sample[why][i].line)
                abort();
    }
    uint32_t n = il_strtab_count(x->triples);
    if (n != il_strtab_count(y->triples))
        abort();
    for (uint32_t i = 0; i < n; i++) {
        size_t kl;
        const char *k = il_strtab_key(x->triples, i, &kl);
        const il_triple_stat *ty = il_strtab_find(y->triples, k, kl);
        const il_triple_stat *tx = il_strtab_val(x->triples, i);
        if (!ty || ty->n != tx->n)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/iislens-fuzz-XXXXXX.log";
    if (!fuzz_write_tmp(path, data, size))
        return 0;
    il_run a, b, c, d;
    int ok = run(path, 1, (size_t)8 << 20, 0, &a);
    if (ok && run(path, 1, (size_t)8 << 20, 1, &d)) {
        same(&a, &d);
        il_run_free(&d);
    }
    if (ok && run(path, 1, 64, 0, &b)) {
        same(&a, &b);
        il_run_free(&b);
    }
    if (ok && run(path, 2, 61, 0, &c)) {
        same(&a, &c);
        il_run_free(&c);
    }
    if (ok)
        il_run_free(&a);
    unlink(path);
    return 0;
}
