/*
 * gen_log.c - writes a synthetic but realistic IIS 10 W3C extended log of a
 * requested size to stdout: the input of the log-report benchmark
 * (bench/report.sh) and a handy test file.
 *
 * Usage: gen_log --size SIZE [--seed N] [--fields-change F] [--clients N]
 *                [--urls N] [--crlf | --lf] [--stats]
 *
 *   --size SIZE         bytes to write: 123456, 512K, 100M, 1G, 2.5G
 *                       (binary multiples; the file ends on a whole line and
 *                       is at most SIZE bytes, less by under one line)
 *   --seed N            PRNG seed (default 1); same options + seed = same bytes
 *   --fields-change F   where the logging-config change (a second directive
 *                       block with a longer #Fields line) happens, as a
 *                       fraction of SIZE (default 0.5; 0 or >= 1: never)
 *   --clients N         distinct client addresses (default 3000)
 *   --urls N            distinct URL stems (default 4000)
 *   --crlf, --lf        line ends (default CRLF, as IIS writes them)
 *   --stats             print lines, bytes and where the change happened
 *                       to stderr at the end
 *
 * What it writes: the IIS 10 header block, then one simulated day of a site
 * (time starts at 2026-11-24 00:00 UTC and rises over the file to about
 * 23:30, faster at European office hours; the request rate follows from
 * SIZE, so any size covers one day). Popularity of URLs and clients is
 * Zipf-like. Status codes follow what such a site really logs: mostly
 * 200/304, redirects, Windows-auth handshakes (401 2 5, 401 1 2148074254,
 * then 200 for the same client and URL, interleaved with other lines),
 * scanner 404s, request-filtering 404.x, 403.14, client aborts
 * (200/206 0 64), 500s, ARR timeouts (502 3 12002 at ~30 s), 503.2, one
 * 500 19 13 outage window on /reports/ (30-33 % of the file), and bursts
 * of 401 1 1326 (password guessing) from single clients.
 * At the fields change the app pool "restarts": a few seconds without
 * requests, a new block (#Software, #Version, #Date, #Fields with cs-host,
 * sc-bytes, cs-bytes and a custom X-Forwarded-For field), slow first
 * requests, and from then on half the external clients arrive through a
 * load balancer (c-ip is the balancer, X-Forwarded-For the client).
 *
 * Deterministic: xoshiro256** seeded by splitmix64, and no libm at all
 * (log, exp and the normal deviate are computed here with plain IEEE
 * arithmetic), so the bytes do not depend on the C library. No time of
 * day, no locale. Fast: lines are assembled in a 1 MiB buffer with
 * memcpy and a hand-written integer formatter; no printf per line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ------------------------------------------------------ */

static uint64_t rs[4]; /* xoshiro256** state */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void rnd_seed(uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rs[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rnd(void)
{
    uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0];
    rs[3] ^= rs[1];
    rs[1] ^= rs[2];
    rs[0] ^= rs[3];
    rs[2] ^= t;
    rs[3] = rotl(rs[3], 45);
    return r;
}

/* uniform in [0, n), n < 2^32 (multiply-shift; bias below 2^-32) */
static uint32_t rnd_below(uint32_t n) { return (uint32_t)(((rnd() >> 32) * n) >> 32); }

/* uniform in (0, 1]: never 0, so its log is finite */
static double rnd_unit(void) { return (double)((rnd() >> 11) + 1) * (1.0 / 9007199254740992.0); }

/* true with probability per10k / 10000 */
static int chance(uint32_t per10k) { return rnd_below(10000) < per10k; }

#define LN2 0.69314718055994530942

/* natural log of x > 0; ~1e-15 relative error, plain arithmetic only */
static double m_log(double x)
{
    int e = 0;
    while (x >= 2.0) { x *= 0.5; e++; }
    while (x < 1.0) { x *= 2.0; e--; }
    if (x > 1.4142135623730951) { x *= 0.5; e++; }
    double t = (x - 1.0) / (x + 1.0), t2 = t * t, term = t, sum = 0.0;
    for (int k = 1; k <= 21; k += 2) { /* |t| <= 0.172: 11 terms reach 1e-17 */
        sum += term / k;
        term *= t2;
    }
    return 2.0 * sum + e * LN2;
}

/* e^x for |x| < 700 */
static double m_exp(double x)
{
    double kf = x / LN2;
    int k = (int)(kf < 0 ? kf - 0.5 : kf + 0.5);
    double r = x - k * LN2, term = 1.0, sum = 1.0; /* |r| <= 0.35 */
    for (int i = 1; i <= 16; i++) {
        term *= r / i;
        sum += term;
    }
    for (; k > 0; k--) sum *= 2.0;
    for (; k < 0; k++) sum *= 0.5;
    return sum;
}

/* roughly standard normal: Irwin-Hall sum of 12 uniforms (16-bit each) - 6 */
static double rnd_normal(void)
{
    uint32_t s = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t w = rnd();
        for (int j = 0; j < 4; j++)
            s += (uint32_t)(w >> (16 * j)) & 0xFFFFu;
    }
    return (double)s / 65536.0 - 6.0;
}

/* log-normal with median `med` and shape sigma, as a whole number */
static uint32_t rnd_lognormal(double med, double sigma, uint32_t cap)
{
    double v = med * m_exp(sigma * rnd_normal());
    return v >= (double)cap ? cap : (uint32_t)v;
}

/* exponential with mean `mean` */
static double rnd_expo(double mean) { return -m_log(rnd_unit()) * mean; }

/* Zipf(s) over n ranks: cumulative weights, binary search */
struct zipf {
    double *cdf;
    uint32_t n;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "gen_log: out of memory\n");
        exit(1);
    }
    return p;
}

static void zipf_init(struct zipf *z, uint32_t n, double s)
{
    z->n = n;
    z->cdf = xmalloc(n * sizeof *z->cdf);
    double acc = 0.0;
    for (uint32_t k = 0; k < n; k++) {
        acc += m_exp(-s * m_log((double)k + 1.0));
        z->cdf[k] = acc;
    }
}

static uint32_t zipf_draw(const struct zipf *z)
{
    double u = (rnd_unit() - 0x1p-53) * z->cdf[z->n - 1];
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* ---- strings ------------------------------------------------------------- */

typedef struct {
    const char *s;
    uint32_t n;
} str;

#define S(lit) ((str){lit, (uint32_t)sizeof(lit) - 1})

static str str_of(const char *s) { return (str){s, (uint32_t)strlen(s)}; }

/* a bump allocator for the strings made at start-up; never freed */
static char *arena_p;
static size_t arena_left;

static str arena_str(const char *s)
{
    size_t n = strlen(s);
    if (n + 1 > arena_left) {
        arena_left = 1 << 20;
        arena_p = xmalloc(arena_left);
    }
    char *d = arena_p;
    memcpy(d, s, n + 1);
    arena_p += n + 1;
    arena_left -= n + 1;
    return (str){d, (uint32_t)n};
}

/* IIS writes spaces inside W3C values as '+' */
static str arena_w3c(const char *s)
{
    str r = arena_str(s);
    for (char *p = (char *)r.s; *p; p++)
        if (*p == ' ') *p = '+';
    return r;
}

static char *put(char *p, str s)
{
    memcpy(p, s.s, s.n);
    return p + s.n;
}

static char *put_u(char *p, uint64_t v)
{
    char tmp[20];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i) *p++ = tmp[--i];
    return p;
}

static char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* ---- the site: user agents, clients, URLs -------------------------------- */

enum ua_group { G_BROWSER, G_INTRANET, G_MOBILEAPP, G_BOT, G_TOOL, G_MONITOR, G_N };

static const struct {
    unsigned char group, weight;
    const char *ua;
} ua_table[] = {
    {G_BROWSER, 30, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
    {G_BROWSER, 6, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"},
    {G_BROWSER, 12, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"},
    {G_BROWSER, 6, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"},
    {G_BROWSER, 6, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"},
    {G_BROWSER, 5, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
    {G_BROWSER, 10, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"},
    {G_BROWSER, 2, "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"},
    {G_BROWSER, 10, "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"},
    {G_BROWSER, 3, "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36"},
    {G_BROWSER, 2, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"},
    {G_BROWSER, 1, "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"},
    {G_INTRANET, 40, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"},
    {G_INTRANET, 15, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
    {G_INTRANET, 4, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko"},
    {G_INTRANET, 6, "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"},
    {G_INTRANET, 3, "Microsoft-WebDAV-MiniRedir/10.0.19045"},
    {G_MOBILEAPP, 10, "okhttp/4.12.0"},
    {G_MOBILEAPP, 3, "okhttp/3.14.9"},
    {G_MOBILEAPP, 8, "ContosoShop/5.3.1 CFNetwork/1568.200.51 Darwin/24.1.0"},
    {G_BOT, 10, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
    {G_BOT, 6, "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36"},
    {G_BOT, 8, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"},
    {G_BOT, 4, "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"},
    {G_BOT, 2, "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"},
    {G_BOT, 2, "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"},
    {G_BOT, 2, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"},
    {G_TOOL, 6, "curl/8.5.0"},
    {G_TOOL, 3, "curl/7.68.0"},
    {G_TOOL, 5, "python-requests/2.31.0"},
    {G_TOOL, 3, "Go-http-client/1.1"},
    {G_TOOL, 2, "Go-http-client/2.0"},
    {G_TOOL, 2, "Java/17.0.9"},
    {G_TOOL, 2, "Apache-HttpClient/4.5.14 (Java/17.0.9)"},
    {G_TOOL, 3, "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.5129"},
    {G_TOOL, 2, "Mozilla/5.0 zgrab/0.x"},
    {G_TOOL, 2, "-"},
    {G_MONITOR, 5, "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)"},
    {G_MONITOR, 5, "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"},
    {G_MONITOR, 3, "AlwaysOn"},
};
#define N_UA (sizeof ua_table / sizeof ua_table[0])
static str ua_str[N_UA];

static unsigned pick_ua(unsigned group)
{
    unsigned total = 0;
    for (unsigned i = 0; i < N_UA; i++)
        if (ua_table[i].group == group) total += ua_table[i].weight;
    unsigned r = rnd_below(total);
    for (unsigned i = 0; i < N_UA; i++) {
        if (ua_table[i].group != group) continue;
        if (r < ua_table[i].weight) return i;
        r -= ua_table[i].weight;
    }
    return 0;
}

enum ckind { C_EXT4, C_EXT6, C_INTERNAL, C_BOT, C_TOOL, C_MONITOR };

struct client {
    str ip;
    unsigned char kind, ua, via_lb, v6;
    str user; /* CONTOSO\name for internal clients, else "-" */
    str xff;  /* what a load balancer puts in X-Forwarded-For */
};

static const char *const first_initials = "abcdefghijklmnoprstvw";
static const char *const surnames[] = {
    "smith", "jones", "mueller", "garcia", "nguyen", "kowalski", "rossi", "dubois", "novak",
    "silva", "tanaka", "larsen", "obrien", "schmidt", "fischer", "weber", "meyer", "wagner",
    "becker", "hoffmann", "martin", "bernard", "moreau", "lopez", "kim", "chen", "patel",
    "singh", "johansson", "virtanen", "horvat", "varga", "popescu", "ivanova", "petrov",
};
#define N_SURNAMES (sizeof surnames / sizeof surnames[0])

static str make_user(void)
{
    char b[64];
    char initial = first_initials[rnd_below((uint32_t)strlen(first_initials))];
    snprintf(b, sizeof b, "CONTOSO\\%c%s", initial, surnames[rnd_below(N_SURNAMES)]);
    return arena_str(b);
}

/* n random numbers in [0, 2^32), drawn in order: C leaves the order in which
   function arguments are evaluated open, so two draws in one call's
   arguments would make the output depend on the compiler */
static void draw(uint32_t *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = (uint32_t)(rnd() >> 32);
}

static str make_ipv4(unsigned kind)
{
    char b[40];
    uint32_t v[4];
    unsigned a, c2;
    draw(v, 4);
    if (kind == C_INTERNAL) {
        snprintf(b, sizeof b, "10.%u.%u.%u", 20 + v[0] % 4, v[1] % 64, 1 + v[2] % 254);
        return arena_str(b);
    }
    if (kind == C_BOT && v[3] % 2 == 0) {
        snprintf(b, sizeof b, "66.249.%u.%u", 64 + v[0] % 16, 1 + v[1] % 254);
        return arena_str(b);
    }
    if (kind == C_BOT && v[3] % 4 == 1) {
        snprintf(b, sizeof b, "%s.%u", v[0] % 2 ? "40.77.167" : "157.55.39", 1 + v[1] % 254);
        return arena_str(b);
    }
    do {
        a = 1 + rnd_below(223);
        c2 = rnd_below(256);
    } while (a == 10 || a == 127 || (a == 172 && c2 >= 16 && c2 < 32) ||
             (a == 192 && c2 == 168) || (a == 169 && c2 == 254) || (a == 100 && c2 >= 64 && c2 < 128));
    snprintf(b, sizeof b, "%u.%u.%u.%u", a, c2, v[0] % 256, 1 + v[1] % 254);
    return arena_str(b);
}

static str make_ipv6(void)
{
    char b[48];
    uint32_t v[7];
    draw(v, 7);
    if (v[6] % 3 == 0)
        snprintf(b, sizeof b, "2001:db8:%x:%x::%x", v[0] & 0xffff, v[1] & 0xffff, 1 + v[2] % 0xffff);
    else
        snprintf(b, sizeof b, "2001:db8:%x:%x:%x:%x:%x:%x", v[0] & 0xffff, v[1] & 0xffff,
                 v[2] & 0xffff, v[3] & 0xffff, v[4] & 0xffff, v[5] & 0xffff);
    return arena_str(b);
}

enum ucat { U_STATIC, U_PAGE, U_API, U_HEALTH, U_INTRANET, U_REPORT, U_DOWNLOAD, U_MISC };
enum qkind { Q_NONE, Q_VER, Q_ID, Q_SEARCH, Q_PAGING, Q_REPORT, Q_SIGNALR, Q_RETURN, Q_OPT, Q_AXD };

struct url {
    str stem;
    unsigned char cat, q;
    uint32_t size; /* typical response body, bytes */
};

static const char *const words[] = {
    "winter", "sale", "laptops", "monitors", "printers", "accessories", "support", "drivers",
    "warranty", "returns", "shipping", "contact", "about", "careers", "press", "privacy",
    "terms", "cookies", "gift-cards", "outlet", "business", "education", "gaming", "audio",
    "storage", "networking", "cables", "docking", "keyboards", "mice", "tablets", "phones",
};
#define N_WORDS (sizeof words / sizeof words[0])
static const char *const depts[] = {"hr", "finance", "it", "sales", "legal", "facilities",
                                    "marketing", "engineering", "procurement", "qa"};
#define N_DEPTS (sizeof depts / sizeof depts[0])
static const char *const reports[] = {"Sales", "Inventory", "Returns", "Margins", "Regional",
                                      "Forecast", "Backorders", "Payroll"};
#define N_REPORTS (sizeof reports / sizeof reports[0])

static const char *word(void) { return words[rnd_below(N_WORDS)]; }

/* the twenty most requested URLs, in rank order */
static const struct {
    const char *stem;
    unsigned char cat, q;
    uint32_t size;
} top_urls[] = {
    {"/", U_PAGE, Q_NONE, 31000},
    {"/favicon.ico", U_STATIC, Q_NONE, 5430},
    {"/css/site.min.css", U_STATIC, Q_VER, 48200},
    {"/js/app.min.js", U_STATIC, Q_VER, 183000},
    {"/api/v1/health", U_HEALTH, Q_NONE, 17},
    {"/images/logo.svg", U_STATIC, Q_NONE, 3900},
    {"/js/vendor/jquery-3.7.1.min.js", U_STATIC, Q_NONE, 87500},
    {"/default.aspx", U_PAGE, Q_NONE, 30500},
    {"/reports/Dashboard.aspx", U_REPORT, Q_NONE, 58000},
    {"/products/Detail.aspx", U_PAGE, Q_ID, 42000},
    {"/intranet/default.aspx", U_INTRANET, Q_NONE, 36000},
    {"/search.aspx", U_PAGE, Q_SEARCH, 39000},
    {"/robots.txt", U_MISC, Q_NONE, 310},
    {"/fonts/segoe-ui-var.woff2", U_STATIC, Q_NONE, 96000},
    {"/api/v1/orders", U_API, Q_PAGING, 5200},
    {"/api/v2/customers", U_API, Q_PAGING, 8800},
    {"/signalr/negotiate", U_API, Q_SIGNALR, 420},
    {"/Account/Login.aspx", U_PAGE, Q_RETURN, 14500},
    {"/sitemap.xml", U_MISC, Q_NONE, 88000},
    {"/WebResource.axd", U_STATIC, Q_AXD, 23000},
};
#define N_TOP (sizeof top_urls / sizeof top_urls[0])

static void make_url(struct url *u)
{
    char b[160];
    unsigned r = rnd_below(1000);
    const char *w = word();
    uint32_t v[3];
    draw(v, 3);
    u->q = Q_NONE;
    if (r < 470) { /* static assets */
        u->cat = U_STATIC;
        switch (rnd_below(6)) {
        case 0: snprintf(b, sizeof b, "/images/products/%u.jpg", 1000 + v[0] % 9000);
            u->size = rnd_lognormal(60000, 0.6, 900000); break;
        case 1: snprintf(b, sizeof b, "/images/products/thumbs/%u_thumb.webp", 1000 + v[0] % 9000);
            u->size = rnd_lognormal(9000, 0.4, 100000); break;
        case 2: snprintf(b, sizeof b, "/content/banners/%s-%u.png", w, v[0] % 40);
            u->size = rnd_lognormal(180000, 0.5, 2000000); break;
        case 3: snprintf(b, sizeof b, "/js/chunks/%x.chunk.js", v[0]);
            u->size = rnd_lognormal(40000, 0.9, 900000); u->q = Q_VER; break;
        case 4: snprintf(b, sizeof b, "/css/pages/%s.css", w);
            u->size = rnd_lognormal(12000, 0.6, 200000); u->q = Q_VER; break;
        default: snprintf(b, sizeof b, "/images/icons/%s-%u.svg", w, v[0] % 20);
            u->size = rnd_lognormal(2500, 0.5, 40000); break;
        }
    } else if (r < 670) { /* pages */
        u->cat = U_PAGE;
        u->size = rnd_lognormal(35000, 0.5, 400000);
        switch (rnd_below(5)) {
        case 0: snprintf(b, sizeof b, "/products/%s/default.aspx", w); break;
        case 1: snprintf(b, sizeof b, "/news/2026/%s-%u.aspx", w, v[0] % 500); break;
        case 2: snprintf(b, sizeof b, "/support/kb/%u.aspx", 100000 + v[0] % 900000); break;
        case 3: snprintf(b, sizeof b, "/products/%s/List.aspx", w); u->q = Q_OPT; break;
        default: snprintf(b, sizeof b, "/help/%s.aspx", w); break;
        }
    } else if (r < 850) { /* API behind ARR */
        u->cat = U_API;
        u->size = rnd_lognormal(1800, 1.0, 400000);
        switch (rnd_below(5)) {
        case 0: snprintf(b, sizeof b, "/api/v1/orders/%u", 5000000 + v[0] % 3000000); break;
        case 1: snprintf(b, sizeof b, "/api/v1/products/%u/stock", 1000 + v[0] % 9000); break;
        case 2: snprintf(b, sizeof b, "/api/v2/customers/%u/invoices", 10000 + v[0] % 90000);
            u->q = Q_PAGING; break;
        case 3: snprintf(b, sizeof b, "/api/v1/carts/%u/items", 1 + v[0] % 999999); break;
        default: snprintf(b, sizeof b, "/api/v1/catalog/%s", w); u->q = Q_OPT; break;
        }
    } else if (r < 910) { /* intranet: Windows authentication */
        u->cat = U_INTRANET;
        u->size = rnd_lognormal(30000, 0.8, 2000000);
        const char *d = depts[rnd_below(N_DEPTS)];
        switch (rnd_below(3)) {
        case 0: snprintf(b, sizeof b, "/intranet/sites/%s/default.aspx", d); break;
        case 1: snprintf(b, sizeof b, "/intranet/sites/%s/Documents/%s-%u.docx", d, w, v[0] % 300);
            u->size = rnd_lognormal(120000, 1.0, 20000000); break;
        default: snprintf(b, sizeof b, "/intranet/sites/%s/Lists/%s/AllItems.aspx", d, w); break;
        }
    } else if (r < 985) { /* reports: the 500.19 outage hits these */
        u->cat = U_REPORT;
        u->q = Q_REPORT;
        u->size = rnd_lognormal(90000, 0.7, 3000000);
        snprintf(b, sizeof b, "/reports/%s/%s-%u.aspx", reports[v[0] % N_REPORTS], w, v[1] % 50);
    } else { /* big downloads: ranges and aborts */
        u->cat = U_DOWNLOAD;
        if (rnd_below(2)) {
            snprintf(b, sizeof b, "/downloads/drivers/%s-%u.%u.%u.zip", w, 1 + v[0] % 9,
                     v[1] % 20, v[2] % 300);
            u->size = rnd_lognormal(25000000, 1.0, 900000000);
        } else {
            snprintf(b, sizeof b, "/media/videos/%s-%u.mp4", w, v[0] % 200);
            u->size = rnd_lognormal(120000000, 0.7, 1500000000);
        }
    }
    u->stem = arena_str(b);
}

/* stems that do not exist: scanners and stale links (win32 2 = file, 3 = path) */
static const struct {
    const char *stem;
    unsigned win32;
} probes[] = {
    {"/wp-login.php", 2}, {"/xmlrpc.php", 2}, {"/.env", 2}, {"/.git/config", 3},
    {"/wp-admin/setup-config.php", 3}, {"/phpmyadmin/index.php", 3}, {"/admin/config.php", 3},
    {"/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", 3}, {"/apple-touch-icon.png", 2},
    {"/apple-touch-icon-precomposed.png", 2}, {"/ads.txt", 2}, {"/.well-known/security.txt", 3},
    {"/owa/auth/logon.aspx", 3}, {"/autodiscover/autodiscover.json", 3}, {"/remote/login", 3},
    {"/HNAP1/", 3}, {"/humans.txt", 2}, {"/products/Discontinued.aspx", 2},
    {"/old/default.aspx", 3}, {"/images/products/0.jpg", 2}, {"/css/site.css.map", 2},
    {"/js/app.min.js.map", 2}, {"/favicon.png", 2}, {"/sitemap_index.xml", 2},
};
#define N_PROBES (sizeof probes / sizeof probes[0])

/* requests IIS request filtering rejects: 404.substatus */
static const struct {
    const char *stem;
    unsigned sub;
    const char *method;
} filtered[] = {
    {"/web.config", 8, "GET"}, {"/bin/Contoso.Web.dll", 8, "GET"}, {"/App_Data/contoso.mdf", 8, "GET"},
    {"/App_Code/Helpers.cs", 8, "GET"}, {"/backup/contoso.mdb", 7, "GET"}, {"/Site.master", 7, "GET"},
    {"/Contoso.Web.csproj", 7, "GET"}, {"/connectionStrings.config", 7, "GET"},
    {"/images/%2e%2e/%2e%2e/windows/win.ini", 11, "GET"}, {"/content/%2e%2e%2fweb.config", 11, "GET"},
    {"/api/v1/uploads", 13, "POST"}, {"/intranet/sites/it/Documents/upload.aspx", 13, "POST"},
};
#define N_FILTERED (sizeof filtered / sizeof filtered[0])

static const char *const dirs[] = {"/images/", "/content/", "/downloads/", "/js/", "/css/",
                                   "/images/products/", "/media/"};
#define N_DIRS (sizeof dirs / sizeof dirs[0])

static const char *const tried_users[] = {
    "administrator", "admin", "CONTOSO\\administrator", "test", "CONTOSO\\svc_backup", "user",
    "CONTOSO\\admin", "guest", "scanner", "CONTOSO\\sqlsvc", "root", "CONTOSO\\jsmith",
};
#define N_TRIED (sizeof tried_users / sizeof tried_users[0])

/* ---- generator state ----------------------------------------------------- */

struct req {
    str method, stem, user, ref_pre, ref_stem, host;
    char query[240];
    uint32_t query_len;
    uint32_t client, port, status, sub, win32, tt, sc_bytes, cs_bytes;
};

#define N_GONE 100
#define PENDING_MAX 64
struct pending {
    struct req r;
    uint64_t due; /* line number from which it may be written */
    uint64_t seq;
};

struct gen {
    uint64_t size, total, lines, seq;
    double t_ms;          /* simulated time since 2026-11-24 00:00:00 UTC */
    double ms_per_byte;   /* of log, at a traffic factor of 1 */
    uint32_t last_len;    /* of the last line written */
    double hour_factor[24];
    uint64_t cached_sec;
    char stamp[19];       /* "2026-11-24 09:14:02" for cached_sec */
    int v2;               /* the second #Fields layout is active */
    uint64_t change_at;   /* byte offset of the config change (UINT64_MAX: never) */
    uint64_t change_line; /* first line number in the new layout */
    uint64_t window_lo, window_hi; /* the 500 19 13 outage, byte offsets */
    uint64_t burst_at[64];
    unsigned n_bursts, next_burst, burst_left;
    uint32_t burst_client;
    str burst_user;
    unsigned cold; /* slow requests left after the restart */
    str eol;

    struct client *clients;
    uint32_t n_clients;
    uint32_t *internal; /* indexes of internal clients */
    uint32_t n_internal;
    struct zipf client_z;

    struct url *urls; /* in rank order */
    uint32_t n_urls;
    uint32_t *pages; /* indexes of page URLs, for referers */
    uint32_t n_pages;
    struct zipf url_z;
    uint32_t health_url;
    str gone[N_GONE]; /* stems of removed product images */

    str *users;
    uint32_t n_users;

    struct pending pend[PENDING_MAX];
    unsigned n_pend;

    char *out;
    size_t out_len;
};

#define OUT_CAP (1u << 20)
#define LINE_MAX_BYTES 4096

static void flush_out(struct gen *g)
{
    if (g->out_len && fwrite(g->out, 1, g->out_len, stdout) != g->out_len) {
        fprintf(stderr, "gen_log: write error: %s\n", strerror(errno));
        exit(1);
    }
    g->out_len = 0;
}

/* days since 1970-01-01 of a civil date (H. Hinnant's algorithm) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void update_stamp(struct gen *g)
{
    uint64_t sec = (uint64_t)(g->t_ms / 1000.0);
    if (sec == g->cached_sec) return;
    g->cached_sec = sec;
    int64_t y;
    unsigned m, d;
    civil_from_days(days_from_civil(2026, 11, 24) + (int64_t)(sec / 86400), &y, &m, &d);
    unsigned s = (unsigned)(sec % 86400);
    char *p = g->stamp;
    p = put2(p, (unsigned)(y / 100));
    p = put2(p, (unsigned)(y % 100));
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = ' ';
    p = put2(p, s / 3600);
    *p++ = ':';
    p = put2(p, s / 60 % 60);
    *p++ = ':';
    put2(p, s % 60);
}

static const char fields_v1[] =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
static const char fields_v2[] =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status "
    "sc-bytes cs-bytes time-taken X-Forwarded-For";

/* appends the directive block; 0 if it would pass the size */
static int write_header(struct gen *g, int v2)
{
    update_stamp(g);
    char *p0 = g->out + g->out_len, *p = p0;
    p = put(p, S("#Software: Microsoft Internet Information Services 10.0"));
    p = put(p, g->eol);
    p = put(p, S("#Version: 1.0"));
    p = put(p, g->eol);
    p = put(p, S("#Date: "));
    p = put(p, (str){g->stamp, 19});
    p = put(p, g->eol);
    p = put(p, S("#Fields: "));
    p = put(p, v2 ? S(fields_v2) : S(fields_v1));
    p = put(p, g->eol);
    size_t n = (size_t)(p - p0);
    if (g->total + n > g->size) return 0;
    g->out_len += n;
    g->total += n;
    return 1;
}

static const str s_ip4 = {"10.0.1.20", 9}, s_ip6 = {"2001:db8:10::20", 15};
static const str lb_ip[2] = {{"10.0.4.11", 9}, {"10.0.4.12", 9}};

/* appends one log line for r at the current time; 0 if it would pass the size */
static int write_line(struct gen *g, const struct req *r)
{
    const struct client *c = &g->clients[r->client];
    int lb = g->v2 && c->via_lb;
    update_stamp(g);
    char *p0 = g->out + g->out_len, *p = p0;
    p = put(p, (str){g->stamp, 19});
    *p++ = ' ';
    p = put(p, c->v6 && !lb ? s_ip6 : s_ip4);
    *p++ = ' ';
    p = put(p, r->method);
    *p++ = ' ';
    p = put(p, r->stem);
    *p++ = ' ';
    p = put(p, (str){r->query, r->query_len});
    *p++ = ' ';
    p = put_u(p, r->port);
    *p++ = ' ';
    p = put(p, r->user);
    *p++ = ' ';
    p = put(p, lb ? lb_ip[r->client & 1] : c->ip);
    *p++ = ' ';
    p = put(p, ua_str[c->ua]);
    *p++ = ' ';
    p = put(p, r->ref_pre);
    if (r->ref_stem.n) p = put(p, r->ref_stem);
    *p++ = ' ';
    if (g->v2) {
        p = put(p, r->host);
        *p++ = ' ';
    }
    p = put_u(p, r->status);
    *p++ = ' ';
    p = put_u(p, r->sub);
    *p++ = ' ';
    p = put_u(p, r->win32);
    *p++ = ' ';
    if (g->v2) {
        p = put_u(p, r->sc_bytes);
        *p++ = ' ';
        p = put_u(p, r->cs_bytes);
        *p++ = ' ';
    }
    p = put_u(p, r->tt);
    if (g->v2) {
        *p++ = ' ';
        p = put(p, lb ? c->xff : S("-"));
    }
    p = put(p, g->eol);
    size_t n = (size_t)(p - p0);
    if (g->total + n > g->size) return 0;
    g->out_len += n;
    g->total += n;
    g->last_len = (uint32_t)n;
    g->lines++;
    if (g->out_len > OUT_CAP - LINE_MAX_BYTES) flush_out(g);
    return 1;
}

/* ---- building requests --------------------------------------------------- */

static void q_lit(struct req *r, str s)
{
    memcpy(r->query + r->query_len, s.s, s.n);
    r->query_len += s.n;
}

static void q_u(struct req *r, uint64_t v)
{
    r->query_len = (uint32_t)(put_u(r->query + r->query_len, v) - r->query);
}

static void set_query(struct req *r, unsigned q)
{
    r->query_len = 0;
    switch (q) {
    case Q_VER:
        if (rnd_below(4) == 0) break;
        q_lit(r, S("v=3.2."));
        q_u(r, 14 + rnd_below(2));
        return;
    case Q_ID:
        q_lit(r, S("id="));
        q_u(r, 1000 + rnd_below(9000));
        if (rnd_below(5) == 0) q_lit(r, S("&utm_source=newsletter&utm_medium=email"));
        return;
    case Q_SEARCH:
        q_lit(r, S("q="));
        q_lit(r, str_of(word()));
        if (rnd_below(2)) {
            q_lit(r, S("+"));
            q_lit(r, str_of(word()));
        }
        if (rnd_below(3) == 0) {
            q_lit(r, S("&page="));
            q_u(r, 2 + rnd_below(9));
        }
        return;
    case Q_PAGING:
        if (rnd_below(3) == 0) break;
        q_lit(r, S("page="));
        q_u(r, 1 + rnd_below(rnd_below(40) + 1));
        q_lit(r, S("&pageSize=50"));
        if (rnd_below(4) == 0) q_lit(r, S("&sort=date_desc"));
        return;
    case Q_REPORT:
        q_lit(r, S("from=2026-11-01&to=2026-11-"));
        q_u(r, 10 + rnd_below(14));
        q_lit(r, rnd_below(3) ? S("&format=html") : S("&format=pdf"));
        return;
    case Q_SIGNALR:
        q_lit(r, S("clientProtocol=2.1&connectionData=%5B%7B%22name%22%3A%22orderhub%22%7D%5D&_="));
        q_u(r, 1795000000000ull + rnd_below(100000000));
        return;
    case Q_RETURN:
        if (rnd_below(2)) break;
        q_lit(r, S("ReturnUrl=%2fAccount%2fOrders.aspx"));
        return;
    case Q_AXD: {
        static const char *const res[] = {
            "d=pynGkmcFUV13He1Qd6_TZAG0REM8qqEBAHCZinHsmTftbBz8ARFqQG4SmTbTGQGNsxByiuhhp7M8BL__qlDclA2",
            "d=x2nkrMJGXkMELz33nwnakP6tQ7sIkcYkPL0AP9JKPT41&t=638318749580000000",
            "d=JoBkLzP19aTuxbWOhHobYkMQ2UOD1iHyJYeu9k8l_Lk1&t=638318749580000000",
        };
        q_lit(r, str_of(res[rnd_below(3)]));
        return;
    }
    case Q_OPT:
        if (rnd_below(2)) break;
        q_lit(r, S("sort=price&dir=asc&page="));
        q_u(r, 1 + rnd_below(12));
        return;
    default:
        break;
    }
    r->query[0] = '-';
    r->query_len = 1;
}

static void base_req(struct gen *g, struct req *r, uint32_t client)
{
    r->client = client;
    r->method = S("GET");
    r->port = 443;
    r->user = S("-");
    r->ref_pre = S("-");
    r->ref_stem = (str){"", 0};
    r->host = S("www.contoso.com");
    r->query[0] = '-';
    r->query_len = 1;
    r->status = 200;
    r->sub = 0;
    r->win32 = 0;
    r->tt = 0;
    r->sc_bytes = 0;
    r->cs_bytes = 380 + rnd_lognormal(420, 0.4, 8000); /* request line + headers */
    (void)g;
}

static void ref_site_page(struct gen *g, struct req *r)
{
    uint32_t i = g->pages[rnd_below(rnd_below(g->n_pages) + 1)]; /* skewed to the top */
    r->ref_pre = S("https://www.contoso.com");
    r->ref_stem = g->urls[i].stem;
}

static void set_referer(struct gen *g, struct req *r, unsigned cat)
{
    unsigned k = g->clients[r->client].kind;
    if (k == C_BOT || k == C_TOOL || k == C_MONITOR) return;
    unsigned x = rnd_below(100);
    switch (cat) {
    case U_STATIC:
        if (x < 75) ref_site_page(g, r);
        break;
    case U_PAGE:
        if (x < 25) r->ref_pre = S("https://www.google.com/");
        else if (x < 33) r->ref_pre = S("https://www.bing.com/");
        else if (x < 35) r->ref_pre = S("https://duckduckgo.com/");
        else if (x < 65) ref_site_page(g, r);
        break;
    case U_API:
        if (x < 40 && ua_table[g->clients[r->client].ua].group != G_MOBILEAPP) ref_site_page(g, r);
        break;
    case U_INTRANET:
        if (x < 50) r->ref_pre = S("https://www.contoso.com/intranet/default.aspx");
        break;
    case U_REPORT:
        if (x < 60) r->ref_pre = S("https://www.contoso.com/reports/Dashboard.aspx");
        break;
    case U_DOWNLOAD:
        if (x < 50) r->ref_pre = S("https://www.contoso.com/support/downloads.aspx");
        break;
    default:
        break;
    }
}

/* time-taken for a response of `bytes` at a client's pace */
static uint32_t tt_for(uint32_t bytes, double base_ms, double sigma)
{
    double med = base_ms + (double)bytes / 2500.0; /* ~2.5 MB/s median client */
    uint32_t t = rnd_lognormal(med, sigma, 3600000);
    if (bytes < 1000000 && chance(30)) { /* the odd stall */
        t *= 5 + rnd_below(40);
        t += rnd_below(2000);
    }
    return t > 3600000 ? 3600000 : t;
}

static void push_pending(struct gen *g, const struct req *r, uint64_t after)
{
    if (g->n_pend == PENDING_MAX) return; /* cannot happen at these rates */
    struct pending *p = &g->pend[g->n_pend++];
    p->r = *r;
    p->due = g->lines + after;
    p->seq = g->seq++;
}

/* one request for an intranet URL by an internal client */
static void intranet_req(struct gen *g, struct req *r, const struct url *u)
{
    const struct client *c = &g->clients[r->client];
    r->host = rnd_below(4) ? S("www.contoso.com") : S("intranet.contoso.com");
    if (c->kind != C_INTERNAL) { /* no domain account: the challenge is all it gets */
        r->status = 401;
        r->sub = 2;
        r->win32 = 5;
        r->sc_bytes = 1293;
        r->tt = rnd_below(3);
        return;
    }
    if (rnd_below(100) < 15) { /* new connection: the NTLM/Negotiate handshake */
        struct req a = *r, b = *r, ok = *r;
        a.status = 401, a.sub = 2, a.win32 = 5, a.sc_bytes = 1293, a.tt = rnd_below(4);
        b.status = 401, b.sub = 1, b.win32 = 2148074254u, b.sc_bytes = 341 + rnd_below(40);
        b.tt = rnd_below(3);
        ok.user = c->user;
        ok.status = rnd_below(5) ? 200 : 304;
        ok.sc_bytes = ok.status == 200 ? u->size : 210;
        ok.tt = tt_for(ok.sc_bytes, 60, 0.9);
        uint64_t d1 = rnd_below(3), d2 = d1 + 1 + rnd_below(4);
        push_pending(g, &b, d1);
        push_pending(g, &ok, d2);
        *r = a;
        return;
    }
    r->user = c->user;
    if (rnd_below(100) < 12) {
        r->status = 304;
        r->sc_bytes = 210;
        r->tt = rnd_below(4);
    } else {
        if (rnd_below(100) < 10) r->method = S("POST"), r->cs_bytes += rnd_lognormal(3000, 1.0, 5000000);
        r->sc_bytes = u->size;
        r->tt = tt_for(u->size, 70, 0.9);
    }
}

static void normal_req(struct gen *g, struct req *r)
{
    uint32_t ci = zipf_draw(&g->client_z);
    const struct client *c = &g->clients[ci];
    uint32_t ui;
    if (c->kind == C_MONITOR) {
        ui = g->health_url;
    } else {
        ui = zipf_draw(&g->url_z);
        if (c->kind == C_BOT && g->urls[ui].cat != U_PAGE && rnd_below(3))
            ui = g->pages[rnd_below(g->n_pages)];
    }
    const struct url *u = &g->urls[ui];
    if (u->cat == U_INTRANET && c->kind != C_INTERNAL && g->n_internal && rnd_below(100) < 92) {
        ci = g->internal[rnd_below(g->n_internal)];
        c = &g->clients[ci];
    }
    base_req(g, r, ci);
    r->stem = u->stem;
    set_query(r, u->q);
    set_referer(g, r, u->cat);
    unsigned x = rnd_below(10000);

    switch (u->cat) {
    case U_STATIC:
    case U_MISC:
        if (x < 4500) {
            r->status = 304;
            r->sc_bytes = 180 + rnd_below(90);
            r->tt = rnd_lognormal(1.2, 1.0, 5000);
        } else {
            r->sc_bytes = u->size + 250;
            if (c->kind == C_MONITOR || rnd_below(300) == 0) r->method = S("HEAD"), r->sc_bytes = 250;
            r->tt = tt_for(u->size, 1.5, 1.0);
            if (x < 4530 && u->size > 20000) { /* navigated away mid-transfer */
                r->win32 = 64;
                r->sc_bytes = rnd_below(u->size);
            }
        }
        return;
    case U_HEALTH:
        if (c->kind == C_MONITOR && rnd_below(2)) r->method = S("HEAD");
        r->sc_bytes = 17 + 230;
        r->tt = rnd_lognormal(2, 0.8, 60000);
        if (x < 5) r->status = 503, r->sub = 0, r->tt = rnd_below(3); /* app_offline for a moment */
        return;
    case U_PAGE:
        if (x < 700 && u->q != Q_SEARCH) {
            r->method = S("POST"); /* postback */
            r->cs_bytes += rnd_lognormal(1500, 1.0, 200000);
        }
        if (x < 300 && u->q == Q_RETURN) {
            r->status = 302; /* successful login */
            r->sc_bytes = 460;
            r->tt = rnd_lognormal(90, 0.6, 30000);
            return;
        }
        if (x >= 700 && x < 1000) {
            r->status = 302; /* protected page: to the login form */
            r->sc_bytes = 480;
            r->tt = rnd_lognormal(4, 0.8, 5000);
            return;
        }
        if (x >= 1000 && x < 1200) {
            r->status = 304;
            r->sc_bytes = 210;
            r->tt = rnd_below(3);
            return;
        }
        if (x >= 1200 && x < 1245) {
            r->status = 500; /* unhandled exception */
            r->sc_bytes = 3420 + rnd_below(200);
            r->tt = tt_for(3400, 250, 1.1);
            return;
        }
        r->sc_bytes = u->size;
        r->tt = tt_for(u->size, 80, 0.9);
        if (x >= 1245 && x < 1290) {
            r->win32 = 64;
            r->sc_bytes = rnd_below(u->size);
        }
        return;
    case U_API: {
        unsigned m = rnd_below(100);
        if (m < 2) r->method = S("OPTIONS");
        else if (m < 22) r->method = S("POST");
        else if (m < 27) r->method = S("PUT");
        else if (m < 30) r->method = S("DELETE");
        if (r->method.s[0] == 'P') r->cs_bytes += rnd_lognormal(900, 1.0, 1000000);
        r->sc_bytes = u->size;
        r->tt = tt_for(u->size, 45, 1.0);
        if (m < 2) {
            r->status = 204;
            r->sc_bytes = 320;
            r->tt = rnd_below(2);
        } else if (x < 150) {
            r->status = 401; /* expired bearer token */
            r->sc_bytes = 330;
            r->tt = rnd_below(8);
        } else if (x < 230) {
            r->status = 400;
            r->sc_bytes = 420 + rnd_below(200);
            r->tt = rnd_lognormal(20, 0.8, 10000);
        } else if (x < 280) {
            r->status = 404; /* no such order: the app says so, win32 0 */
            r->sc_bytes = 390;
            r->tt = rnd_lognormal(25, 0.8, 10000);
        } else if (x < 330) {
            r->status = 500;
            r->sc_bytes = 610;
            r->tt = rnd_lognormal(400, 1.0, 60000);
        } else if (x < 380) {
            r->status = 502; /* ARR gave up on the backend after its 30 s timeout */
            r->sub = 3;
            r->win32 = 12002;
            r->sc_bytes = 1477;
            r->tt = 29850 + rnd_below(350);
        } else if (r->method.s[0] == 'P' && r->method.s[1] == 'O') {
            r->status = rnd_below(3) ? 201 : 200;
        } else if (r->method.s[0] == 'D' || r->method.s[1] == 'U') {
            r->status = 204;
            r->sc_bytes = 160;
        }
        return;
    }
    case U_INTRANET:
        intranet_req(g, r, u);
        return;
    case U_REPORT:
        if (g->total >= g->window_lo && g->total < g->window_hi) {
            r->status = 500; /* a bad web.config was deployed to /reports/ */
            r->sub = 19;
            r->win32 = 13;
            r->sc_bytes = 1208 + rnd_below(30);
            r->tt = rnd_below(16);
            if (rnd_below(2)) push_pending(g, r, 2 + rnd_below(30)); /* F5 */
            return;
        }
        r->sc_bytes = u->size;
        r->tt = tt_for(u->size, 900, 1.0);
        if (x < 80) {
            r->status = 500;
            r->sc_bytes = 3650;
        }
        return;
    case U_DOWNLOAD:
        r->ref_stem = (str){"", 0};
        if (x < 3500) {
            r->status = 206;
            r->sc_bytes = 1 + rnd_below(u->size < 8388608 ? u->size : 8388608);
        } else {
            r->sc_bytes = u->size;
        }
        r->tt = tt_for(r->sc_bytes, 20, 0.8);
        if (rnd_below(100) < 20) { /* the client gave up */
            r->win32 = 64;
            r->sc_bytes = rnd_below(r->sc_bytes) + 1;
        }
        return;
    default:
        return;
    }
}

static void new_request(struct gen *g, struct req *r)
{
    if (g->burst_left && rnd_below(100) < 35) { /* password guessing */
        g->burst_left--;
        base_req(g, r, g->burst_client);
        r->stem = rnd_below(4) ? S("/intranet/default.aspx") : S("/intranet/_vti_bin/lists.asmx");
        if (r->stem.s[10] == '_') r->method = S("POST");
        r->user = rnd_below(6) ? g->burst_user : str_of(tried_users[rnd_below(N_TRIED)]);
        r->status = 401;
        r->sub = 1;
        r->win32 = 1326;
        r->sc_bytes = 1293;
        r->tt = rnd_lognormal(18, 0.5, 5000);
        return;
    }
    unsigned x = rnd_below(10000);
    if (x >= 460 && x < 468) { /* concurrent request limit */
        const struct url *u = &g->urls[zipf_draw(&g->url_z)];
        base_req(g, r, zipf_draw(&g->client_z));
        r->stem = u->cat == U_INTRANET ? S("/") : u->stem;
        set_query(r, u->q);
        r->status = 503;
        r->sub = 2;
        r->win32 = 0;
        r->sc_bytes = 326;
        r->tt = rnd_below(2);
        return;
    }
    if (x >= 468) {
        normal_req(g, r);
        if (g->cold && (r->stem.s[r->stem.n - 1] == 'x' || r->stem.s[1] == 'a')) { /* cold start */
            g->cold--;
            r->tt += 2000 + rnd_below(7000);
        }
        return;
    }
    base_req(g, r, zipf_draw(&g->client_z));
    if (x < 250) { /* scanners and stale links */
        unsigned k = rnd_below(N_PROBES + 16);
        if (k < N_PROBES) {
            r->stem = str_of(probes[k].stem);
            r->win32 = probes[k].win32;
        } else { /* product images that were removed */
            r->stem = g->gone[rnd_below(N_GONE)];
            r->win32 = 2;
        }
        r->status = 404;
        r->sc_bytes = 1245;
        r->tt = rnd_below(6);
    } else if (x < 290) { /* request filtering */
        unsigned k = rnd_below(N_FILTERED);
        r->stem = str_of(filtered[k].stem);
        r->method = str_of(filtered[k].method);
        r->status = 404;
        r->sub = filtered[k].sub;
        r->sc_bytes = 1245;
        r->tt = rnd_below(2);
        if (filtered[k].sub == 13) r->cs_bytes += 600; /* body never read */
    } else if (x < 310) { /* directory without a default document */
        r->stem = str_of(dirs[rnd_below(N_DIRS)]);
        r->status = 403;
        r->sub = 14;
        r->sc_bytes = 1233;
        r->tt = rnd_below(3);
    } else { /* plain http: redirected to https */
        uint32_t ui = g->pages[rnd_below(rnd_below(g->n_pages) + 1)];
        r->stem = g->urls[ui].stem;
        r->port = 80;
        r->host = rnd_below(3) ? S("contoso.com") : S("www.contoso.com");
        r->status = 301;
        r->sc_bytes = 412;
        r->tt = rnd_below(3);
    }
}

/* the next line: a held-back handshake leg if one is due, else a new request */
static void next_request(struct gen *g, struct req *r)
{
    int best = -1;
    for (unsigned i = 0; i < g->n_pend; i++)
        if (g->pend[i].due <= g->lines &&
            (best < 0 || g->pend[i].seq < g->pend[best].seq))
            best = (int)i;
    if (best >= 0) {
        *r = g->pend[best].r;
        g->pend[best] = g->pend[--g->n_pend];
        return;
    }
    new_request(g, r);
}

/* ---- set-up --------------------------------------------------------------- */

static void setup(struct gen *g, uint32_t n_clients, uint32_t n_urls, double change)
{
    for (unsigned i = 0; i < N_UA; i++) ua_str[i] = arena_w3c(ua_table[i].ua);

    g->n_users = 400;
    g->users = xmalloc(g->n_users * sizeof *g->users);
    for (uint32_t i = 0; i < g->n_users; i++) g->users[i] = make_user();

    /* clients, in popularity order: a monitor and a crawler near the top */
    g->n_clients = n_clients;
    g->clients = xmalloc(n_clients * sizeof *g->clients);
    g->internal = xmalloc(n_clients * sizeof *g->internal);
    g->n_internal = 0;
    for (uint32_t i = 0; i < n_clients; i++) {
        struct client *c = &g->clients[i];
        unsigned r = rnd_below(100);
        if (i == 6) r = 99;      /* uptime monitor */
        else if (i == 4) r = 96; /* Googlebot */
        c->kind = r < 13 ? C_INTERNAL : r < 23 ? C_EXT6 : r < 91 ? C_EXT4 : r < 95 ? C_TOOL
                : r < 98 ? C_BOT : C_MONITOR;
        if (i == 4) c->kind = C_BOT;
        c->v6 = c->kind == C_EXT6;
        c->ip = c->v6 ? make_ipv6() : make_ipv4(c->kind);
        switch (c->kind) {
        case C_INTERNAL: c->ua = (unsigned char)pick_ua(G_INTRANET); break;
        case C_BOT: c->ua = (unsigned char)pick_ua(G_BOT); break;
        case C_TOOL: c->ua = (unsigned char)pick_ua(G_TOOL); break;
        case C_MONITOR: c->ua = (unsigned char)pick_ua(G_MONITOR); break;
        default: c->ua = (unsigned char)pick_ua(rnd_below(100) < 15 ? G_MOBILEAPP : G_BROWSER); break;
        }
        if (i == 4) { /* the classic Googlebot string: the first bot entry */
            unsigned k = 0;
            while (ua_table[k].group != G_BOT) k++;
            c->ua = (unsigned char)k;
        }
        c->user = c->kind == C_INTERNAL ? g->users[rnd_below(g->n_users)] : S("-");
        if (c->kind == C_INTERNAL) g->internal[g->n_internal++] = i;
        c->via_lb = c->kind != C_INTERNAL && rnd_below(2);
        if (c->via_lb && rnd_below(10) == 0) { /* a proxy in front of the client too */
            char b[96];
            uint32_t v[4];
            draw(v, 4);
            snprintf(b, sizeof b, "%s,+%u.%u.%u.%u", c->ip.s, 100 + v[0] % 100, v[1] % 256,
                     v[2] % 256, 1 + v[3] % 254);
            c->xff = arena_str(b);
        } else {
            c->xff = c->ip;
        }
    }
    zipf_init(&g->client_z, n_clients, 0.85);

    /* URLs in rank order: the fixed top twenty, then a shuffled mix */
    g->n_urls = n_urls;
    g->urls = xmalloc(n_urls * sizeof *g->urls);
    g->pages = xmalloc(n_urls * sizeof *g->pages);
    g->n_pages = 0;
    for (uint32_t i = 0; i < n_urls; i++) {
        struct url *u = &g->urls[i];
        if (i < N_TOP) {
            u->stem = str_of(top_urls[i].stem);
            u->cat = top_urls[i].cat;
            u->q = top_urls[i].q;
            u->size = top_urls[i].size;
        } else {
            make_url(u);
        }
        if (u->cat == U_HEALTH) g->health_url = i;
        if (u->cat == U_PAGE) g->pages[g->n_pages++] = i;
    }
    zipf_init(&g->url_z, n_urls, 1.0);
    for (unsigned i = 0; i < N_GONE; i++) {
        char b[48];
        snprintf(b, sizeof b, "/images/products/%u.jpg", 20000 + i * 7);
        g->gone[i] = arena_str(b);
    }

    /* the day: traffic by UTC hour (a European shop), scaled to mean 1 */
    static const double shape[24] = {0.35, 0.3, 0.25, 0.25, 0.3, 0.45, 0.7, 1.0, 1.3, 1.5, 1.55, 1.5,
                                     1.45, 1.5, 1.55, 1.5, 1.4, 1.3, 1.2, 1.15, 1.05, 0.9, 0.7, 0.5};
    double sum = 0.0;
    for (int h = 0; h < 24; h++) sum += shape[h];
    for (int h = 0; h < 24; h++) g->hour_factor[h] = shape[h] * 24.0 / sum;
    /* the file covers 00:00 to about 23:30: a byte of log stands for a
       fixed share of the day's traffic, so the clock runs at
       ms_per_byte / factor(hour) */
    double day = 0.0;
    for (int h = 0; h < 23; h++) day += g->hour_factor[h];
    day += 0.5 * g->hour_factor[23];
    g->ms_per_byte = day * 3600000.0 / (double)g->size;
    g->t_ms = 2000.0 + rnd_below(3000);
    g->cached_sec = UINT64_MAX;
    g->last_len = 250;

    g->change_at = change > 0.0 && change < 1.0 ? (uint64_t)((double)g->size * change) : UINT64_MAX;
    g->window_lo = (uint64_t)((double)g->size * 0.30);
    g->window_hi = (uint64_t)((double)g->size * 0.33);

    /* password-guessing bursts: two, plus one per 256 MiB */
    g->n_bursts = 2 + (unsigned)(g->size / (256u << 20));
    if (g->n_bursts > 64) g->n_bursts = 64;
    for (unsigned k = 0; k < g->n_bursts; k++)
        g->burst_at[k] = (uint64_t)((double)g->size *
                                    (0.05 + 0.9 * ((double)k + 0.2 + 0.6 * rnd_unit()) / g->n_bursts));
}

static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v < 0) return 0;
    double mul = 1.0;
    switch (*end) {
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1048576.0; end++; break;
    case 'g': case 'G': mul = 1073741824.0; end++; break;
    case 't': case 'T': mul = 1099511627776.0; end++; break;
    default: break;
    }
    if (*end == 'i') end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end) return 0;
    v *= mul;
    return v >= 1.8e19 ? 0 : (uint64_t)v;
}

static void usage(FILE *f)
{
    fputs("usage: gen_log --size SIZE [--seed N] [--fields-change F] [--clients N]\n"
          "               [--urls N] [--crlf | --lf] [--stats]\n"
          "Writes a realistic IIS 10 W3C log of at most SIZE bytes to stdout.\n"
          "  --size SIZE        bytes, or with K, M, G, T (binary): 100M, 1G, 2.5G\n"
          "  --seed N           PRNG seed (default 1); same options and seed, same bytes\n"
          "  --fields-change F  new directive block with more fields at this fraction\n"
          "                     of SIZE (default 0.5; 0 or 1: never)\n"
          "  --clients N        distinct clients (default 3000)\n"
          "  --urls N           distinct URL stems (default 4000)\n"
          "  --crlf, --lf       line ends (default CRLF, as IIS writes them)\n"
          "  --stats            lines, bytes and the change line on stderr\n",
          f);
}

static int num_arg(int argc, char **argv, int *i, double *out)
{
    if (*i + 1 >= argc) return 0;
    char *end;
    const char *s = argv[++*i];
    errno = 0;
    *out = strtod(s, &end);
    return end != s && !*end && !errno;
}

int main(int argc, char **argv)
{
    static struct gen gen;
    struct gen *g = &gen;
    uint64_t seed = 1;
    double change = 0.5, v;
    uint32_t n_clients = 3000, n_urls = 4000;
    int crlf = 1, stats = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--size") && i + 1 < argc) {
            g->size = parse_size(argv[++i]);
            if (!g->size) {
                fprintf(stderr, "gen_log: bad --size '%s' (e.g. 100M, 1G)\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--seed") && i + 1 < argc) {
            char *end;
            errno = 0;
            seed = strtoull(argv[++i], &end, 0);
            if (*end || errno) {
                fprintf(stderr, "gen_log: bad --seed '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--fields-change")) {
            if (!num_arg(argc, argv, &i, &change) || change < 0) {
                fprintf(stderr, "gen_log: --fields-change wants a fraction 0..1\n");
                return 2;
            }
        } else if (!strcmp(a, "--clients") || !strcmp(a, "--urls")) {
            if (!num_arg(argc, argv, &i, &v) || v < 64 || v > 10000000) {
                fprintf(stderr, "gen_log: %s wants a number from 64 to 10000000\n", a);
                return 2;
            }
            if (a[2] == 'c') n_clients = (uint32_t)v;
            else n_urls = (uint32_t)v;
        } else if (!strcmp(a, "--crlf")) {
            crlf = 1;
        } else if (!strcmp(a, "--lf")) {
            crlf = 0;
        } else if (!strcmp(a, "--stats")) {
            stats = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!g->size) {
        usage(stderr);
        return 2;
    }

    rnd_seed(seed);
    g->eol = crlf ? S("\r\n") : S("\n");
    g->out = xmalloc(OUT_CAP);
    setup(g, n_clients, n_urls, change);

    if (!write_header(g, 0)) {
        fprintf(stderr, "gen_log: --size %llu is smaller than the header block\n",
                (unsigned long long)g->size);
        return 2;
    }
    {
        struct req r;
        for (;;) {
            if (!g->v2 && g->total >= g->change_at) {
                /* the app pool restarts with the new logging configuration */
                g->t_ms += 3000.0 + rnd_below(9000);
                if (!write_header(g, 1)) break;
                g->v2 = 1;
                g->change_line = g->lines + 1;
                g->cold = 20;
            }
            if (g->next_burst < g->n_bursts && g->total >= g->burst_at[g->next_burst]) {
                g->next_burst++;
                g->burst_left = 300 + rnd_below(1200);
                g->burst_client = g->n_clients - 1 - rnd_below(g->n_clients / 4);
                while (g->clients[g->burst_client].kind == C_INTERNAL && g->burst_client > 0)
                    g->burst_client--;
                g->burst_user = g->users[rnd_below(g->n_users)];
            }
            unsigned hour = (unsigned)((uint64_t)(g->t_ms / 3600000.0) % 24);
            g->t_ms += rnd_expo((double)g->last_len * g->ms_per_byte / g->hour_factor[hour]);
            next_request(g, &r);
            if (!write_line(g, &r)) break;
        }
    }
    flush_out(g);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gen_log: write error: %s\n", strerror(errno));
        return 1;
    }
    if (stats) {
        update_stamp(g);
        fprintf(stderr, "gen_log: %llu bytes, %llu lines, last %.19s UTC", (unsigned long long)g->total,
                (unsigned long long)g->lines, g->stamp);
        if (g->v2)
            fprintf(stderr, ", fields change before line %llu", (unsigned long long)g->change_line);
        fputc('\n', stderr);
    }
    return 0;
}
