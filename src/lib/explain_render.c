/*
 * explain_render.c - writes explanations as wrapped text for people and as
 * JSON for scripts, and the code tables of `explain --list`.
 *
 * Knowledge-base text is ours and trusted; anything that came from the user
 * or a log line (q->text, q->uri) goes through il_buf_term_str (text) or
 * il_buf_json_str (JSON) so it can never inject terminal escapes or break
 * the JSON. Output is deterministic: no clock, no locale, no environment.
 */
#include "iislens.h"
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 13

typedef struct style {
    unsigned width;
    int color;
} style;

static const char *class_color(il_class c)
{
    switch (c) {
    case IL_CLASS_SERVER_ERROR:
        return "\033[1;31m";
    case IL_CLASS_CLIENT_ERROR:
        return "\033[33m";
    case IL_CLASS_SECURITY:
        return "\033[1;35m";
    case IL_CLASS_SUCCESS:
        return "\033[32m";
    case IL_CLASS_AUTH_HANDSHAKE:
    case IL_CLASS_CLIENT_ABORT:
        return "\033[36m";
    default:
        return "\033[2m";
    }
}

static void on(il_buf *b, const style *s, const char *code)
{
    if (s->color)
        il_buf_puts(b, code);
}

static void off(il_buf *b, const style *s)
{
    if (s->color)
        il_buf_puts(b, "\033[0m");
}

static void spaces(il_buf *b, size_t n)
{
    while (n--)
        il_buf_putc(b, ' ');
}

/* Display width of UTF-8 text: one column per code point (good enough for
 * our own text, which is ASCII and a few punctuation marks). */
static size_t cols(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Write `text` word-wrapped: the cursor is at column `col`; continuation
 * lines start at column `indent`. Returns the column it ends at. */
static size_t wrap_nonl(il_buf *b, const style *s, const char *text, size_t n,
                        size_t col, size_t indent)
{
    size_t i = 0;
    int first = 1;
    while (i < n) {
        while (i < n && text[i] == ' ')
            i++;
        size_t st = i;
        while (i < n && text[i] != ' ')
            i++;
        if (i == st)
            break;
        size_t w = cols(text + st, i - st);
        if (!first && s->width && col + 1 + w > s->width && col > indent) {
            il_buf_putc(b, '\n');
            spaces(b, indent);
            col = indent;
        } else if (!first) {
            il_buf_putc(b, ' ');
            col++;
        }
        il_buf_append(b, text + st, i - st);
        col += w;
        first = 0;
    }
    return col;
}

/* As wrap_nonl, ending the line. */
static void wrap(il_buf *b, const style *s, const char *text, size_t n,
                 size_t col, size_t indent)
{
    wrap_nonl(b, s, text, n, col, indent);
    il_buf_putc(b, '\n');
}

/* "WHAT  title words  [class]": WHAT in bold, the title wrapped, the class
 * (when cls is not IL_CLASS_UNKNOWN) coloured, moved to its own line when
 * it does not fit. */
static void heading(il_buf *b, const style *s, size_t indent, const char *what,
                    const char *title, il_class cls)
{
    spaces(b, indent);
    on(b, s, "\033[1m");
    il_buf_puts(b, what);
    off(b, s);
    size_t col = indent + cols(what, strlen(what));
    if (title && *title) {
        il_buf_puts(b, "  ");
        col = wrap_nonl(b, s, title, strlen(title), col + 2, indent + 2);
    }
    if (cls != IL_CLASS_UNKNOWN) {
        const char *lab = il_class_label(cls);
        size_t need = strlen(lab) + 4;
        if (s->width && col + need > s->width) {
            il_buf_putc(b, '\n');
            spaces(b, indent + 2);
            il_buf_putc(b, '[');
        } else {
            il_buf_puts(b, "  [");
        }
        on(b, s, class_color(cls));
        il_buf_puts(b, lab);
        off(b, s);
        il_buf_putc(b, ']');
    }
    il_buf_putc(b, '\n');
}

static void label(il_buf *b, const style *s, size_t indent, const char *lab)
{
    spaces(b, indent);
    on(b, s, "\033[1m");
    il_buf_puts(b, lab);
    off(b, s);
    size_t l = strlen(lab);
    spaces(b, l < LABEL_W ? LABEL_W - l : 1);
}

static void field(il_buf *b, const style *s, size_t indent, const char *lab,
                  const char *text)
{
    label(b, s, indent, lab);
    size_t l = strlen(lab);
    size_t col = indent + (l < LABEL_W ? LABEL_W : l + 1);
    wrap(b, s, text, strlen(text), col, indent + LABEL_W);
}

/* A " ; "-separated list, one "- item" per line. */
static void list_field(il_buf *b, const style *s, size_t indent,
                       const char *lab, const char *items)
{
    label(b, s, indent, lab);
    const char *p = items;
    int first = 1;
    for (;;) {
        const char *e = strstr(p, " ; ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!first)
            spaces(b, indent + LABEL_W);
        il_buf_puts(b, "- ");
        wrap(b, s, p, n, indent + LABEL_W + 2, indent + LABEL_W + 2);
        first = 0;
        if (!e)
            break;
        p = e + 3;
    }
}

static void sources_line(il_buf *b, const style *s, size_t indent,
                         const char *keys, const char *versions,
                         il_confidence conf)
{
    il_buf tmp;
    il_buf_init(&tmp, 1 << 16);
    if (versions) {
        il_buf_puts(&tmp, versions);
        il_buf_puts(&tmp, "; ");
    }
    il_buf_puts(&tmp, il_confidence_name(conf));
    il_buf_puts(&tmp, "; sources: ");
    const char *p = keys;
    int first = 1;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        const il_kb_source *src = il_kb_source_find(p, n);
        if (!first)
            il_buf_puts(&tmp, ", ");
        il_buf_append(&tmp, p, n);
        if (src)
            il_buf_printf(&tmp, " (%s)", src->title);
        first = 0;
        if (!c)
            break;
        p = c + 1;
    }
    field(b, s, indent, "Basis:", tmp.data ? tmp.data : "");
    il_buf_free(&tmp);
}

/* brief: heading, meaning and basis only (for IIS 5/6 meanings and for
 * win32 values already read together with their status). */
static void entry_text(il_buf *b, const style *s, const char *what,
                       const il_kb_entry *e, int show_class, int brief)
{
    heading(b, s, 2, what, e->title, show_class ? e->cls : IL_CLASS_UNKNOWN);
    field(b, s, 4, "Meaning:", e->meaning);
    if (brief) {
        sources_line(b, s, 4, e->source, e->versions, e->conf);
        return;
    }
    list_field(b, s, 4, "Causes:", e->causes);
    list_field(b, s, 4, "What to do:", e->action);
    if (strcmp(e->related, "-") != 0) {
        il_buf rel;
        il_buf_init(&rel, 1 << 16);
        for (const char *p = e->related; *p; p++) {
            il_buf_putc(&rel, *p);
            if (*p == ',' && p[1] != ' ')
                il_buf_putc(&rel, ' ');
        }
        field(b, s, 4, "Related:", rel.data ? rel.data : "");
        il_buf_free(&rel);
    }
    sources_line(b, s, 4, e->source, e->versions, e->conf);
}

static void http_what(char *w, size_t cap, const il_kb_entry *e, int ftp)
{
    if (ftp)
        snprintf(w, cap, "FTP %s", e->key);
    else if (strcmp(e->variant, "-") == 0)
        snprintf(w, cap, "HTTP %s", e->key);
    else if (strcmp(e->variant, "iis6") == 0)
        snprintf(w, cap, "HTTP %s (as IIS 5/6 used it)", e->key);
    else if (strcmp(e->variant, "arr") == 0)
        snprintf(w, cap, "HTTP %s (from ARR)", e->key);
    else if (strcmp(e->variant, "ancm") == 0)
        snprintf(w, cap, "HTTP %s (from the ASP.NET Core Module)", e->key);
    else
        snprintf(w, cap, "HTTP %s (%s)", e->key, e->variant);
}

static void win32_text(il_buf *b, const style *s, const il_explanation *e)
{
    char what[160];
    const il_win32 *w = &e->w;
    if (w->facility_win32)
        snprintf(what, sizeof what, "Win32 %u = 0x%08X, the HRESULT form of %u",
                 w->raw, w->raw, w->code);
    else
        snprintf(what, sizeof what, "Win32 %u (0x%08X)", w->raw, w->raw);
    if (e->win32) {
        char full[256];
        snprintf(full, sizeof full, "%s %s", what, e->win32->variant);
        entry_text(b, s, full, e->win32, 1, e->combo != NULL);
        return;
    }
    spaces(b, 2);
    on(b, s, "\033[1m");
    il_buf_puts(b, what);
    off(b, s);
    il_buf_putc(b, '\n');
    char msg[512];
    if (w->raw == 0) {
        snprintf(msg, sizeof msg, "0 means no Windows-level error.");
    } else if (w->code <= 0xFFFF) {
        snprintf(msg, sizeof msg,
                 "This value is not in iislens's knowledge base, so iislens "
                 "will not guess at it. On a Windows machine `net helpmsg %u` "
                 "prints the system's text for it.",
                 w->code);
    } else {
        snprintf(msg, sizeof msg,
                 "This value is not in iislens's knowledge base, so iislens "
                 "will not guess at it. It is %s (facility %u, code %u); "
                 "Microsoft's `err.exe` or the SDK header winerror.h names it.",
                 w->is_hresult ? "an HRESULT" : "not a plain Win32 code",
                 (w->raw >> 16) & 0x1FFFu, w->raw & 0xFFFFu);
    }
    field(b, s, 4, "Note:", msg);
}

static void combo_text(il_buf *b, const style *s, const il_kb_combo *c)
{
    heading(b, s, 2, "Read together", c->title, c->cls);
    field(b, s, 4, "Reading:", c->reading);
    if (strcmp(c->condition, "-") != 0)
        field(b, s, 4, "When:", c->condition);
    list_field(b, s, 4, "What to do:", c->action);
    sources_line(b, s, 4, c->source, NULL, c->conf);
}

static const char *range_meaning(unsigned status, int ftp)
{
    unsigned r = status / 100;
    if (ftp) {
        static const char *const f[] = {
            NULL,
            "1xx replies are preliminary: the server has started the action "
            "and will send another reply.",
            "2xx replies mean the command completed.",
            "3xx replies mean the command was accepted but the server needs "
            "more from the client (for example a password).",
            "4xx replies are transient failures: the command failed but may "
            "work if tried again.",
            "5xx replies are permanent failures: the command failed and will "
            "fail again as sent.",
            "6xx replies carry protected (encrypted or integrity-checked) "
            "replies."};
        return r >= 1 && r <= 6 ? f[r] : "This is not an FTP reply code.";
    }
    static const char *const h[] = {
        NULL,
        "1xx responses are informational: an interim answer before the real "
        "one.",
        "2xx responses mean the request succeeded.",
        "3xx responses send the client elsewhere or tell it to use its cached "
        "copy.",
        "4xx responses mean the server refused the request as sent: the "
        "client asked for something missing, malformed or not allowed.",
        "5xx responses mean the server, the application or a backend behind "
        "it failed to handle a valid-looking request."};
    return r >= 1 && r <= 5 ? h[r] : "This is not an HTTP status code.";
}

static void nearest_text(il_buf *b, const style *s, const il_explanation *e)
{
    if (!e->nnearest)
        return;
    char list[256];
    size_t used = 0;
    for (size_t i = 0; i < e->nnearest && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%u.%u",
                                 i ? ", " : "", e->q->status, e->nearest[i]);
    field(b, s, 4, "Nearest:", list);
}

static void one_text(il_buf *b, const style *s, const il_explanation *e)
{
    const il_query *q = e->q;
    int ftp = q->kind == IL_Q_FTP;
    /* heading: the input as given, then the class of the whole */
    on(b, s, "\033[1m");
    il_buf_term_str(b, q->text, strlen(q->text));
    off(b, s);
    il_buf_puts(b, "  [");
    on(b, s, class_color(e->cls));
    il_buf_puts(b, il_class_label(e->cls));
    off(b, s);
    il_buf_puts(b, "]\n");
    if (q->detail[0] || q->uri[0] || q->time_taken >= 0) {
        spaces(b, 2);
        il_buf_puts(b, q->detail[0] ? q->detail : "from a log line");
        if (q->uri[0]) {
            il_buf_puts(b, ": ");
            il_buf_term_str(b, q->uri, strlen(q->uri));
        }
        if (q->time_taken >= 0)
            il_buf_printf(b, ", time-taken %lld ms", q->time_taken);
        il_buf_putc(b, '\n');
    }

    if (q->kind == IL_Q_HTTPERR) {
        if (e->httperr) {
            char what[160];
            snprintf(what, sizeof what, "HTTPERR %s%s%.0u", e->httperr->key,
                     e->httperr->sub ? " with HTTP " : "", e->httperr->sub);
            entry_text(b, s, what, e->httperr, 0, 0);
        }
        il_buf_putc(b, '\n');
        return;
    }
    if (e->combo)
        combo_text(b, s, e->combo);

    if (q->kind == IL_Q_HTTP || q->kind == IL_Q_FTP) {
        char what[160];
        for (size_t i = 0; i < e->nhttp; i++) {
            http_what(what, sizeof what, e->http[i], ftp);
            entry_text(b, s, what, e->http[i], e->nhttp > 1 || e->combo,
                       strcmp(e->http[i]->variant, "iis6") == 0 && i > 0);
        }
        if (e->unknown_status) {
            spaces(b, 2);
            on(b, s, "\033[1m");
            il_buf_printf(b, "%s %u", ftp ? "FTP" : "HTTP", q->status);
            off(b, s);
            il_buf_puts(b, "  not a documented code\n");
            char msg[400];
            snprintf(msg, sizeof msg,
                     "iislens has no entry for %s %u, so it will not guess at "
                     "its meaning. %s",
                     ftp ? "FTP reply" : "HTTP status", q->status,
                     range_meaning(q->status, ftp));
            field(b, s, 4, "Note:", msg);
        } else if (e->unknown_sub && !ftp) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "Sub-status %lld of HTTP %u is not documented for IIS or "
                     "its Microsoft modules; a custom module, ISAPI filter or "
                     "the application itself may have set it. What the status "
                     "itself means:",
                     q->sub, q->status);
            spaces(b, 2);
            on(b, s, "\033[1m");
            il_buf_printf(b, "HTTP %u.%lld", q->status, q->sub);
            off(b, s);
            il_buf_puts(b, "  undocumented sub-status\n");
            field(b, s, 4, "Note:", msg);
            http_what(what, sizeof what, e->generic, 0);
            entry_text(b, s, what, e->generic, 0, 0);
            nearest_text(b, s, e);
        }
        if (ftp && q->sub >= 0) {
            if (e->ftp_sub) {
                snprintf(what, sizeof what, "FTP sub-status %lld", q->sub);
                entry_text(b, s, what, e->ftp_sub, 1, 0);
            } else {
                spaces(b, 2);
                on(b, s, "\033[1m");
                il_buf_printf(b, "FTP sub-status %lld", q->sub);
                off(b, s);
                il_buf_puts(b, "  not a documented IIS FTP sub-status\n");
            }
        }
    }
    if (q->win32 >= 0)
        win32_text(b, s, e);
    il_buf_putc(b, '\n');
}

static int same_code(const il_query *a, const il_query *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == IL_Q_HTTPERR)
        return strcmp(a->text, b->text) == 0;
    return a->status == b->status && a->sub == b->sub && a->win32 == b->win32;
}

/* The title that best sums up an explanation, for --short and repeats. */
static const char *summary_title(const il_explanation *e)
{
    if (e->combo)
        return e->combo->title;
    if (e->httperr)
        return e->httperr->title;
    if (e->nhttp)
        return e->ftp_sub && e->q->sub > 0 ? e->ftp_sub->title : e->http[0]->title;
    if (e->q->kind == IL_Q_WIN32 && e->win32)
        return e->win32->title;
    if (e->unknown_sub && e->generic)
        return "undocumented sub-status";
    return "not a documented code";
}

static void short_line(il_buf *b, const style *s, const il_explanation *e,
                       const char *note)
{
    const il_query *q = e->q;
    on(b, s, "\033[1m");
    il_buf_term_str(b, q->text, strlen(q->text));
    off(b, s);
    il_buf_puts(b, "  [");
    on(b, s, class_color(e->cls));
    il_buf_puts(b, il_class_label(e->cls));
    off(b, s);
    il_buf_puts(b, "]  ");
    il_buf_puts(b, summary_title(e));
    if (q->uri[0]) {
        il_buf_puts(b, "  ");
        il_buf_term_str(b, q->uri, strlen(q->uri));
    }
    if (q->time_taken >= 0)
        il_buf_printf(b, " (%lld ms)", q->time_taken);
    if (note)
        il_buf_puts(b, note);
    il_buf_putc(b, '\n');
}

void il_explain_render_text(il_buf *out, const il_explanation *e, size_t n,
                            unsigned width, unsigned flags)
{
    style s = {width, (flags & IL_RENDER_COLOR) != 0};
    for (size_t i = 0; i < n; i++) {
        if (e[i].q->kind == IL_Q_ERROR)
            continue;
        if (flags & IL_RENDER_SHORT) {
            short_line(out, &s, &e[i], NULL);
            continue;
        }
        size_t j = 0;
        while (j < i && !same_code(e[j].q, e[i].q))
            j++;
        if (j < i) { /* explained above: one line is enough */
            short_line(out, &s, &e[i], "  (explained above)");
            il_buf_putc(out, '\n');
            continue;
        }
        one_text(out, &s, &e[i]);
    }
}

/* ---- JSON ----------------------------------------------------------------- */

static void jstr(il_buf *b, const char *s)
{
    il_buf_putc(b, '"');
    il_buf_json_str(b, s, strlen(s));
    il_buf_putc(b, '"');
}

static void jkey(il_buf *b, const char *k)
{
    il_buf_putc(b, '"');
    il_buf_puts(b, k);
    il_buf_puts(b, "\":");
}

static void jlist(il_buf *b, const char *items, const char *sep)
{
    il_buf_putc(b, '[');
    if (strcmp(items, "-") != 0) {
        const char *p = items;
        size_t sl = strlen(sep);
        for (int first = 1;; first = 0) {
            const char *e = strstr(p, sep);
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (!first)
                il_buf_putc(b, ',');
            il_buf_putc(b, '"');
            il_buf_json_str(b, p, n);
            il_buf_putc(b, '"');
            if (!e)
                break;
            p = e + sl;
        }
    }
    il_buf_putc(b, ']');
}

/* ,"key":"value" and ,"key":[list]: every object below opens with a field
 * written by hand, so these always lead with the comma. */
static void jfield(il_buf *b, const char *key, const char *val)
{
    il_buf_putc(b, ',');
    jkey(b, key);
    jstr(b, val);
}

static void jfield_list(il_buf *b, const char *key, const char *items,
                        const char *sep)
{
    il_buf_putc(b, ',');
    jkey(b, key);
    jlist(b, items, sep);
}

static void jentry(il_buf *b, const char *table, const il_kb_entry *e)
{
    il_buf_puts(b, "{\"table\":");
    jstr(b, table);
    jfield(b, "key", e->key);
    if (strcmp(table, "http") == 0) {
        jfield(b, "variant", e->variant);
    } else if (strcmp(table, "win32") == 0) {
        jfield(b, "name", e->variant);
    } else if (strcmp(table, "httperr") == 0) {
        if (e->sub)
            il_buf_printf(b, ",\"status\":%u", e->sub);
        else
            il_buf_puts(b, ",\"status\":null");
    }
    jfield(b, "title", e->title);
    jfield(b, "class", il_class_name(e->cls));
    jfield(b, "versions", e->versions);
    jfield(b, "meaning", e->meaning);
    jfield_list(b, "causes", e->causes, " ; ");
    jfield_list(b, "action", e->action, " ; ");
    jfield_list(b, "related", e->related, ",");
    jfield_list(b, "sources", e->source, ",");
    jfield(b, "confidence", il_confidence_name(e->conf));
    il_buf_putc(b, '}');
}

static const char *kind_name(il_query_kind k)
{
    switch (k) {
    case IL_Q_HTTP:
        return "http";
    case IL_Q_WIN32:
        return "win32";
    case IL_Q_FTP:
        return "ftp";
    case IL_Q_HTTPERR:
        return "httperr";
    case IL_Q_ERROR:
        return "error";
    }
    return "error";
}

static void one_json(il_buf *b, const il_explanation *e)
{
    const il_query *q = e->q;
    il_buf_puts(b, "{\"input\":");
    jstr(b, q->text);
    jfield(b, "kind", kind_name(q->kind));
    if (q->kind == IL_Q_ERROR) {
        jfield(b, "error", q->detail);
        il_buf_putc(b, '}');
        return;
    }
    if (q->kind == IL_Q_HTTP || q->kind == IL_Q_FTP ||
        (q->kind == IL_Q_HTTPERR && q->status)) {
        il_buf_printf(b, ",\"status\":%u", q->status);
    }
    if (q->kind == IL_Q_HTTP || q->kind == IL_Q_FTP) {
        if (q->sub >= 0)
            il_buf_printf(b, ",\"substatus\":%lld", q->sub);
        else
            il_buf_puts(b, ",\"substatus\":null");
    }
    if (q->win32 >= 0)
        il_buf_printf(b,
                      ",\"win32\":%u,\"win32_hex\":\"0x%08X\",\"win32_code\":%u",
                      e->w.raw, e->w.raw, e->w.code);
    else if (q->kind != IL_Q_HTTPERR)
        il_buf_puts(b, ",\"win32\":null");
    jfield(b, "class", il_class_name(e->cls));
    il_buf_printf(b, ",\"documented\":%s",
                  il_explanation_complete(e) ? "true" : "false");
    if (q->uri[0])
        jfield(b, "uri", q->uri);
    if (q->time_taken >= 0)
        il_buf_printf(b, ",\"time_taken\":%lld", q->time_taken);
    il_buf_putc(b, ',');
    jkey(b, "reading");
    if (e->combo) {
        const il_kb_combo *c = e->combo;
        il_buf_puts(b, "{\"title\":");
        jstr(b, c->title);
        jfield(b, "class", il_class_name(c->cls));
        jfield(b, "reading", c->reading);
        if (strcmp(c->condition, "-") == 0)
            il_buf_puts(b, ",\"condition\":null");
        else
            jfield(b, "condition", c->condition);
        jfield_list(b, "action", c->action, " ; ");
        jfield_list(b, "sources", c->source, ",");
        jfield(b, "confidence", il_confidence_name(c->conf));
        il_buf_putc(b, '}');
    } else {
        il_buf_puts(b, "null");
    }
    il_buf_putc(b, ',');
    jkey(b, "entries");
    il_buf_putc(b, '[');
    int first = 1;
#define SEP()                                                                 \
    do {                                                                      \
        if (!first)                                                           \
            il_buf_putc(b, ',');                                              \
        first = 0;                                                            \
    } while (0)
    const char *tname = q->kind == IL_Q_FTP ? "ftp" : "http";
    for (size_t i = 0; i < e->nhttp; i++) {
        SEP();
        jentry(b, tname, e->http[i]);
    }
    if (e->generic) {
        SEP();
        jentry(b, "http", e->generic);
    }
    if (e->ftp_sub) {
        SEP();
        jentry(b, "ftp_substatus", e->ftp_sub);
    }
    if (e->win32) {
        SEP();
        jentry(b, "win32", e->win32);
    }
    if (e->httperr) {
        SEP();
        jentry(b, "httperr", e->httperr);
    }
#undef SEP
    il_buf_putc(b, ']');
    il_buf_putc(b, ',');
    jkey(b, "undocumented");
    il_buf_putc(b, '[');
    first = 1;
    if (e->unknown_status) {
        jstr(b, "status");
        first = 0;
    }
    if (e->unknown_sub) {
        if (!first)
            il_buf_putc(b, ',');
        jstr(b, "substatus");
        first = 0;
    }
    if (e->unknown_win32) {
        if (!first)
            il_buf_putc(b, ',');
        jstr(b, "win32");
    }
    il_buf_putc(b, ']');
    if (e->nnearest) {
        il_buf_puts(b, ",\"nearest\":[");
        for (size_t i = 0; i < e->nnearest; i++)
            il_buf_printf(b, "%s\"%u.%u\"", i ? "," : "", q->status,
                          e->nearest[i]);
        il_buf_putc(b, ']');
    }
    il_buf_putc(b, '}');
}

void il_explain_render_json(il_buf *out, const il_explanation *e, size_t n)
{
    il_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            il_buf_putc(out, ',');
        il_buf_puts(out, "\n  ");
        one_json(out, &e[i]);
    }
    il_buf_puts(out, n ? "\n]\n" : "]\n");
}

/* ---- --list ---------------------------------------------------------------- */

static const char *const table_names[IL__KB_TABLE_COUNT] = {
    "http", "win32", "ftp", "ftp_substatus", "httperr"};

void il_explain_render_list(il_buf *out, int which, unsigned width, int json)
{
    (void)width;
    if (json)
        il_buf_putc(out, '[');
    int first = 1;
    for (int t = 0; t < IL__KB_TABLE_COUNT; t++) {
        if (which >= 0 && which != t)
            continue;
        size_t n;
        const il_kb_entry *all = il_kb_all((il_kb_table)t, &n);
        if (!json) {
            if (which < 0)
                il_buf_printf(out, "%s%s\n", first ? "" : "\n", table_names[t]);
            il_buf_printf(out, "%-12s %-24s %-15s %s\n",
                          t == IL_KB_HTTPERR ? "REASON" : "CODE",
                          t == IL_KB_WIN32     ? "NAME"
                          : t == IL_KB_HTTP    ? "VARIANT"
                          : t == IL_KB_HTTPERR ? "STATUS"
                                               : "",
                          "CLASS", "TITLE");
        }
        for (size_t i = 0; i < n; i++) {
            const il_kb_entry *e = &all[i];
            if (json) {
                if (!first)
                    il_buf_putc(out, ',');
                il_buf_puts(out, "\n  ");
                jentry(out, table_names[t], e);
                first = 0;
                continue;
            }
            char extra[32];
            const char *x = "";
            if (t == IL_KB_WIN32 || (t == IL_KB_HTTP && strcmp(e->variant, "-")))
                x = e->variant;
            else if (t == IL_KB_HTTPERR && e->sub) {
                snprintf(extra, sizeof extra, "%u", e->sub);
                x = extra;
            }
            il_buf_printf(out, "%-12s %-24s %-15s %s\n", e->key, x,
                          il_class_label(e->cls), e->title);
        }
        first = 0;
    }
    if (json)
        il_buf_puts(out, "\n]\n");
}
