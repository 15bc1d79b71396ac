/*
 * fuzz_filter.c - libFuzzer target for the report's filters: the parsers of
 * --status, --client and --since/--until values, and the filtered engine
 * run, whose address matching parses c-ip and X-Forwarded-For from the log
 * (attacker-controlled bytes). The input's first line holds filter values
 * separated by spaces (each tried as a status pattern, a client address or
 * CIDR and a time); the rest is a log. Checks:
 *   - an accepted status pattern is a range within 100..999 whose sub-status
 *     and win32 are -1 or in range; an accepted client has a prefix length
 *     within its family's; an accepted time lies between years 0 and 9999;
 *   - the filtered run counts no more requests than the unfiltered one, and
 *     the same whatever the chunk size and thread count.
 * A finding is abort(), so libFuzzer keeps the input.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "engine.h"
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t requests(const char *path, const il_filter *f, unsigned threads, size_t chunk)
{
    il_engine_opts o;
    il_engine_default_opts(&o);
    o.threads = threads;
    o.chunk = chunk;
    o.max_line = 512;
    if (f)
        o.filter = *f;
    il_run run;
    char err[256];
    const char *paths[] = {path};
    if (il_engine_run(paths, 1, &o, &run, err, sizeof err) != IL_OK)
        return UINT64_MAX;
    uint64_t n = run.agg->requests + run.agg->httperr;
    il_run_free(&run);
    return n;
}

static void add_value(il_filter *f, const char *v)
{
    if (il_filter_add_status(f, v)) {
        int k = f->nstatus - 1, lo = f->status[k].lo, hi = f->status[k].hi;
        long long sub = f->status[k].sub, w = f->status[k].win32;
        if (lo < 100 || hi > 999 || lo > hi || sub < -1 || sub > 99999 || w < -1 || w > 4294967295LL)
            abort();
    }
    if (il_filter_add_client(f, v)) {
        int k = f->nclient - 1, bits = f->client[k].bits;
        if (bits < 0 || bits > (f->client[k].v6 ? 128 : 32))
            abort();
    }
    int64_t t = il_parse_iso_time(v);
    if (t != INT64_MIN) {
        if (t < -62167219200LL || t > 253402300799LL) /* 0000-01-01 .. 9999-12-31 */
            abort();
        if (f->since == INT64_MIN)
            f->since = t;
        else if (f->until == INT64_MAX && t > f->since)
            f->until = t;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size;
    if (head > 512)
        return 0;
    il_filter f;
    il_filter_init(&f);
    char line[513];
    memcpy(line, data, head);
    line[head] = '\0';
    for (char *v = strtok(line, " "); v; v = strtok(NULL, " "))
        add_value(&f, v);
    const uint8_t *log = nl ? nl + 1 : data + size;
    size_t logn = (size_t)(data + size - log);

    char path[] = "/tmp/iislens-fuzz-XXXXXX.log";
    if (!fuzz_write_tmp(path, log, logn))
        return 0;
    uint64_t all = requests(path, NULL, 1, (size_t)8 << 20);
    uint64_t some = requests(path, &f, 1, (size_t)8 << 20);
    uint64_t some2 = requests(path, &f, 2, 61);
    if (all != UINT64_MAX && (some > all || some != some2))
        abort();
    unlink(path);
    return 0;
}
