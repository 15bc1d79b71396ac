/*
 * fuzz_explain.c - libFuzzer target for the explain input parser. The input
 * is fed line by line (as `iislens explain -` does); every query is resolved
 * and rendered as text and as JSON. Checks: no crash or sanitizer report,
 * the JSON always parses, and text without colour never contains a raw
 * control character other than newline.
 */
#include "iislens.h"
#include "../unit/json_check.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    il_explain_opts o = {0, 0};
    if (size > 0) { /* first byte picks the options */
        o.force_win32 = data[0] & 1;
        o.force_ftp = (data[0] >> 1) & 1;
        data++;
        size--;
    }
    il_explain_parser *p = il_explain_parser_new(&o);
    if (!p)
        return 0;
    size_t i = 0;
    while (i < size) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t len = nl ? (size_t)(nl - (data + i)) : size - i;
        if (il_explain_parse(p, (const char *)data + i, len) != IL_OK)
            break;
        i += len + 1;
    }
    size_t nq;
    const il_query *q = il_explain_queries(p, &nq);
    il_explanation *ex = calloc(nq ? nq : 1, sizeof *ex);
    if (!ex)
        abort();
    for (size_t k = 0; k < nq; k++)
        il_explain_resolve(&q[k], &ex[k]);

    il_buf out;
    il_buf_init(&out, 0);
    il_explain_render_json(&out, ex, nq);
    if (out.overflow || !json_valid(out.data, out.len))
        abort();
    il_buf_reset(&out);
    il_explain_render_text(&out, ex, nq, (unsigned)(size % 120),
                           (o.force_win32 && o.force_ftp) ? IL_RENDER_SHORT : 0);
    for (size_t k = 0; k < out.len; k++) {
        unsigned char c = (unsigned char)out.data[k];
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            abort();
    }
    il_buf_free(&out);
    free(ex);
    il_explain_parser_free(p);
    return 0;
}
