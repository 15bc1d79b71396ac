/* test_buf.c - il_buf growth and limits, and the JSON, terminal and CSV escapers
 * that stand between log content and every output. */
#include "iislens.h"
#include "tap.h"

#include <stdlib.h>

static const char *json(const char *s, size_t n)
{
    static il_buf b;
    il_buf_free(&b);
    il_buf_json_str(&b, s, n);
    return b.data ? b.data : "";
}

static const char *term(const char *s, size_t n)
{
    static il_buf b;
    il_buf_free(&b);
    il_buf_term_str(&b, s, n);
    return b.data ? b.data : "";
}

static const char *csv(const char *s, size_t n)
{
    static il_buf b;
    il_buf_free(&b);
    il_buf_csv_str(&b, s, n);
    return b.data ? b.data : "";
}

int main(void)
{
    il_buf b;
    il_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        il_buf_printf(&b, "%04d", i % 10000);
    TAP_EQ_U(b.len, 40000, "buffer grows across many appends");
    TAP_OK(b.data[b.len] == '\0', "buffer stays NUL-terminated");
    il_buf_free(&b);

    il_buf_init(&b, 10);
    il_buf_puts(&b, "12345");
    il_buf_puts(&b, "678901");
    TAP_EQ_U(b.len, 5, "an append past the limit is dropped whole");
    TAP_OK(b.overflow, "and sets overflow");
    il_buf_free(&b);

    il_buf_init(&b, 0);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    il_buf_printf(&b, "<%s>", big);
    TAP_EQ_U(b.len, 601, "printf longer than its stack buffer");
    il_buf_free(&b);

    TAP_EQ_S(json("a\"b\\c", 5), "a\\\"b\\\\c", "JSON escapes quote and backslash");
    TAP_EQ_S(json("\x01\n\x1b", 3), "\\u0001\\u000a\\u001b", "JSON escapes controls");
    TAP_EQ_S(json("\xff", 1), "\\ufffd", "JSON replaces invalid UTF-8");
    TAP_EQ_S(json("\xc3\xa9", 2), "\xc3\xa9", "JSON keeps valid UTF-8");
    TAP_EQ_S(json("\xe2\x80\xa8", 3), "\\u2028", "JSON escapes U+2028");
    TAP_EQ_S(json("\xed\xa0\x80", 3), "\\ufffd\\ufffd\\ufffd", "JSON rejects surrogates");
    TAP_EQ_S(json("\xc0\xaf", 2), "\\ufffd\\ufffd", "JSON rejects overlong forms");
    TAP_EQ_S(json("a\0b", 3), "a\\u0000b", "JSON escapes NUL");
    TAP_EQ_S(json("\xc2\x9b" "x", 3), "\\u009bx", "JSON escapes C1 controls");
    TAP_EQ_S(json("a\x7f", 2), "a\\u007f", "JSON escapes DEL");

    TAP_EQ_S(term("\x1b[31mred", 8), "\\x1b[31mred", "terminal: ESC made visible");
    TAP_EQ_S(term("a\rb\x07", 4), "a\\x0db\\x07", "terminal: CR and BEL made visible");
    TAP_EQ_S(term("\xc2\x9b" "2J", 4), "\\x9b2J", "terminal: C1 CSI made visible");
    TAP_EQ_S(term("caf\xc3\xa9", 5), "caf\xc3\xa9", "terminal: UTF-8 letters kept");
    TAP_EQ_S(term("\xff\xfe", 2), "\\xff\\xfe", "terminal: invalid bytes made visible");
    TAP_EQ_S(term("a\\b", 3), "a\\\\b", "terminal: backslash doubled, so output is unambiguous");
    TAP_EQ_S(csv("a,b", 3), "\"a,b\"", "csv: always quoted");
    TAP_EQ_S(csv("say \"hi\"", 8), "\"say \"\"hi\"\"\"", "csv: quotes doubled");
    TAP_EQ_S(csv("=HYPERLINK(1)", 13), "\"'=HYPERLINK(1)\"", "csv: a formula is defused");
    TAP_EQ_S(csv("+1", 2), "\"'+1\"", "csv: leading + defused");
    TAP_EQ_S(csv("-2", 2), "\"'-2\"", "csv: leading - defused");
    TAP_EQ_S(csv("@x", 2), "\"'@x\"", "csv: leading @ defused");
    TAP_EQ_S(csv("a=1", 3), "\"a=1\"", "csv: = inside a value left alone");
    TAP_EQ_S(csv("a\r\nb\x1b[2J", 8), "\"a??b?[2J\"", "csv: control characters become ?");
    TAP_EQ_S(csv("\xc2\x85x", 3), "\"?x\"", "csv: C1 controls become ?");
    TAP_EQ_S(csv("caf\xc3\xa9\xff", 6), "\"caf\xc3\xa9?\"", "csv: UTF-8 kept, invalid bytes become ?");
    TAP_EQ_S(csv("", 0), "\"\"", "csv: empty field");
    return tap_done();
}
