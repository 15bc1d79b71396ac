/*
 * fuzz_report.c - libFuzzer target for the report's writers on logs an
 * attacker wrote: the input (after one option byte) is written to a
 * temporary log file, read by the engine, built into a report and written
 * in every format: text without and with colour, JSON, each CSV table and
 * the HTML page. Checks, for whatever bytes the log holds:
 *   - JSON: one valid value, and valid UTF-8;
 *   - text: valid UTF-8 with no control character but newline (no C0, DEL
 *     or C1); with colour, ESC only as our own "ESC [ digits ; m" sequences;
 *   - CSV: records of fields that are bare (no quote, comma or control) or
 *     quoted with doubled inner quotes, no control character inside a
 *     field, valid UTF-8, and no field a spreadsheet would run as a formula
 *     (= + - @ first);
 *   - HTML: the template around one data block that holds no '<' and parses
 *     as JSON.
 * A finding is abort(), so libFuzzer keeps the input.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "engine.h"
#include "internal.h"
#include "report.h"
#include "../unit/json_check.h"
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The page: the template, the data block, the template's end. */
static void check_html(const char *s, size_t n)
{
    static const char open[] = "<script type=\"application/json\" id=\"data\">";
    const char *a = il_memmem(s, n, open, sizeof open - 1);
    if (!a)
        abort();
    const char *d = a + sizeof open - 1;
    const char *end = il_memmem(d, n - (size_t)(d - s), "</script>", 9);
    if (!end)
        abort();
    size_t dn = (size_t)(end - d);
    if (memchr(d, '<', dn) || !json_valid(d, dn))
        abort();
    fuzz_check_utf8(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned opt;
    if (!fuzz_take_byte(&data, &size, &opt))
        return 0;
    char path[] = "/tmp/iislens-fuzz-XXXXXX.log";
    if (!fuzz_write_tmp(path, data, size))
        return 0;
    il_engine_opts eo;
    il_engine_default_opts(&eo);
    eo.threads = 1;
    eo.max_line = 1024;
    il_run run;
    char err[256];
    const char *paths[] = {path};
    if (il_engine_run(paths, 1, &eo, &run, err, sizeof err) != IL_OK) {
        unlink(path);
        return 0;
    }
    il_report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.top = 1 + (opt & 7);
    ro.width = opt & 8 ? 40 + (opt >> 4) * 7 : 0;
    ro.tz_offset = opt & 0x80 ? -(int64_t)(opt & 0x70) * 450 : 0;
    ro.tz_name = ro.tz_offset ? "-hh:mm" : "UTC";
    il_report *rep = il_report_build(&run, &ro);
    if (!rep)
        abort();
    il_buf out;
    il_buf_init(&out, 0);

    il_report_json(&out, rep);
    if (out.overflow || !json_valid(out.data, out.len))
        abort();
    fuzz_check_utf8(out.data, out.len);

    il_buf_reset(&out);
    il_report_text(&out, rep);
    fuzz_check_text(out.data, out.len, 0);

    il_buf_reset(&out);
    il_report_html(&out, rep);
    check_html(out.data, out.len);

    for (const char *const *t = il_report_csv_tables(); *t; t++) {
        il_buf_reset(&out);
        if (!il_report_csv(&out, rep, *t))
            abort();
        fuzz_check_csv(out.data, out.len);
    }
    il_report_free(rep);

    ro.color = 1;
    rep = il_report_build(&run, &ro);
    if (!rep)
        abort();
    il_buf_reset(&out);
    il_report_text(&out, rep);
    fuzz_check_text(out.data, out.len, 1);
    il_report_free(rep);

    il_buf_free(&out);
    il_run_free(&run);
    unlink(path);
    return 0;
}
