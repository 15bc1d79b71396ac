/* test_explain.c - explanations as a whole: the triple read together, the
 * honest answer for undocumented codes, and output that stays safe and
 * valid whatever the input (JSON parses, no raw control bytes in text). */
#include "iislens.h"
#include "json_check.h"
#include "tap.h"

#include <stdlib.h>

static il_buf out;

/* Explain one group; render as text (mode 0) or JSON (mode 1). */
static const char *render(const char *input, int json)
{
    il_explain_parser *p = il_explain_parser_new(NULL);
    il_explain_parse(p, input, strlen(input));
    size_t n;
    const il_query *q = il_explain_queries(p, &n);
    il_explanation *e = calloc(n ? n : 1, sizeof *e);
    for (size_t i = 0; i < n; i++)
        il_explain_resolve(&q[i], &e[i]);
    il_buf_reset(&out);
    if (json)
        il_explain_render_json(&out, e, n);
    else
        il_explain_render_text(&out, e, n, 80, 0);
    free(e);
    il_explain_parser_free(p);
    return out.data ? out.data : "";
}

static int no_raw_controls(const char *s)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7F)
            return 0;
    return 1;
}

static int max_line(const char *s)
{
    int best = 0, cur = 0;
    for (; *s; s++) {
        if (*s == '\n') {
            if (cur > best)
                best = cur;
            cur = 0;
        } else if (((unsigned char)*s & 0xC0) != 0x80) {
            cur++;
        }
    }
    return cur > best ? cur : best;
}

int main(void)
{
    const char *t;
    il_buf_init(&out, 0);

    t = render("401 1 2148074254", 0);
    TAP_OK(strstr(t, "[auth handshake]") != NULL, "401 1 2148074254: an auth handshake leg");
    TAP_OK(strstr(t, "Read together") != NULL, "401 1 2148074254: read as a whole");
    t = render("200 0 64", 0);
    TAP_OK(strstr(t, "[client abort]") != NULL, "200 0 64: a client abort");
    t = render("200 0 995", 0);
    TAP_OK(strstr(t, "unconfirmed") != NULL, "200 0 995: says its reading is unconfirmed");
    t = render("500 19 13", 0);
    TAP_OK(strstr(t, "[server error]") && strstr(t, "HTTP 500.19") &&
               strstr(t, "Win32 13"),
           "500 19 13: status, sub-status and win32 all explained");
    TAP_OK(max_line(t) <= 80, "text wraps at the requested width (longest %d)", max_line(t));
    t = render("404.77", 0);
    TAP_OK(strstr(t, "not documented") && strstr(t, "Nearest:"),
           "404.77: honest answer with nearest codes");
    t = render("599", 0);
    TAP_OK(strstr(t, "not guess") != NULL, "599: no invented meaning");
    t = render("4242", 0);
    TAP_OK(strstr(t, "net helpmsg 4242") != NULL, "unknown win32: points to net helpmsg");

    t = render("2026-11-24 09:14:02 10.0.0.5 GET /\x1b[2J\x07evil - 443 - "
               "10.1.2.3 UA - 500 19 13 15", 0);
    TAP_OK(no_raw_controls(t), "text: escape sequences from a log line are neutralised");
    TAP_OK(strstr(t, "\\x1b[2J") != NULL, "text: the escape is shown visibly");
    t = render("2026-11-24 09:14:02 10.0.0.5 GET /\"quote\\back\xff - 443 - "
               "10.1.2.3 UA - 500 19 13 15", 1);
    TAP_OK(json_valid(t, strlen(t)), "JSON with hostile URI parses");
    t = render("403.14 500 19 13 0x80070005 Timer_ConnectionIdle foo 404.77", 1);
    TAP_OK(json_valid(t, strlen(t)), "JSON for mixed input parses");
    TAP_OK(strstr(t, "\"kind\":\"error\"") != NULL, "JSON reports unreadable input");
    TAP_OK(strstr(t, "\"documented\":false") != NULL, "JSON flags undocumented codes");
    t = render("", 1);
    TAP_OK(json_valid(t, strlen(t)) && strcmp(t, "[]\n") == 0, "JSON for no input is []");

    il_buf_reset(&out);
    il_explain_render_list(&out, -1, 0, 1);
    TAP_OK(out.data && json_valid(out.data, out.len), "--list --json parses");
    il_buf_reset(&out);
    il_explain_render_list(&out, IL_KB_HTTPERR, 0, 0);
    TAP_OK(out.data && strstr(out.data, "Timer_ConnectionIdle") != NULL,
           "--list httperr lists reasons");
    il_buf_free(&out);
    return tap_done();
}
