/* test_real.c - exact counts for the real IIS log samples in
 * ../shared/corpus/real (argv[1]; see its SOURCES.md for every file's origin
 * and oddities). The samples are read where they are, never copied here; when
 * the folder is missing the test skips.
 *
 * Every expectation below was derived by reading the files with IIS
 * semantics, not by running iislens: #Fields decides the columns and a new
 * #Fields re-maps from that line on; "-" is empty; a line whose value count
 * does not match the active #Fields is malformed (field_count) and is never
 * re-assigned to another layout; header-less files are read by the shape of
 * IIS's fixed field order; directives and empty lines count nowhere. Where
 * another parser's *-expected.json reads a sample differently, the comment
 * says why the IIS meaning is asserted.
 *
 * Each file is run three times: threads=1 with the default chunk, the same
 * with the one-pass W3C scan off (every line through the general path), and threads=2
 * with chunk=64, which cuts these small files inside lines, inside CRLF and
 * inside directive blocks; all three must agree on every count and triple.
 *
 * Checks that fail because of a confirmed iislens bug are marked TODO: they
 * print "ok N - name # TODO reason" (TAP TODO) so CI stays green, and keep the
 * correct expectation so they can become real assertions once fixed. */
#include "engine.h"
#include "tap.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct exp_triple {
    int proto;          /* 0 HTTP, 1 FTP */
    int32_t status;     /* -1: not logged */
    int32_t sub;        /* -1: not logged */
    int64_t win32;      /* -1: not logged */
    uint64_t n;
} exp_triple;

/* assertion groups, also used to mark which of them a known bug breaks */
enum { G_FORMAT = 1, G_COUNTS = 2, G_TRIPLES = 4, G_TIME = 8 };

typedef struct expect {
    const char *name;           /* relative to the corpus folder */
    il_format fmt;
    uint64_t lines, requests, httperr;
    uint64_t bad[IL__BAD_COUNT];
    const char *first, *last;   /* UTC; NULL: no record carries a timestamp */
    exp_triple t[8];            /* every triple; n == 0 ends the list */
    int robust;                 /* not IIS: only success and self-consistency */
    unsigned todo;              /* groups a known iislens bug breaks (G_*) */
    const char *why;            /* that bug, for the TODO line */
} expect;

#define BEATS "elastic__beats/filebeat__module__iis__"
#define INTEG "elastic__integrations/packages__iis__data_stream__"
#define LNAV "tstack__lnav/test__logfile_w3c"
#define LJ "sergey-su__logjoint/trunk__"
#define FC IL_BAD_FIELD_COUNT

/* iislens bugs this test found (all fixed on 2026-11-25 except B2's damaged
 * IPs, which stay a TODO row below):
 * B1 logfmt.c guess_layout: with cs-method at value index m (0-based, date
 *    is 0), it adds s-sitename when m - 1 == 4 and s-sitename plus
 *    s-computername when m - 1 == 5; it should be m == 4 (one value between
 *    time and s-ip) and m == 5 (two). The columns after them are shifted, the
 *    c-ip check fails, and every such line is no_layout.
 * B2 guess_layout requires an IP-looking value right before cs-method (and
 *    at c-ip): a selection without s-ip, or a damaged IP, is no_layout.
 * B3 the header-less HTTPERR shape is recognised only by an s-reason the KB
 *    knows; "NotFound" (real HTTP.sys output, see the logjoint samples) is
 *    not in data/kb/httperr.tsv, so those lines are no_layout.
 * B4 a #Fields without sc-status makes every line malformed 'status'
 *    instead of a request whose status is not logged (-1).
 * B5 header-less IIS FTP lines are not recognised; an FTP "-" sc-status
 *    (ControlChannelClosed) is malformed 'status'.
 * B6 IIS 4 FTP W3C logs (no x-session/x-fullpath, not under FTPSVC) are read
 *    as HTTP; a layout with time but no date gives no timestamp, though the
 *    day is the #Date one. */
#define B1 "header-less s-sitename/s-computername columns shifted (B1)"
#define B3 "header-less HTTPERR line with s-reason NotFound is no_layout (B3)"

static const expect cases[] = {
    /* ---- W3C access ------------------------------------------------------ */
    /* Three header blocks (15, 19, 22 fields), one matching record each. The
     * last two lines follow the 22-field #Fields but have 15 values: for IIS
     * they are malformed (field_count). test.log-expected.json shows Filebeat
     * parsing them with the 15-field layout, because Filebeat ignores #Fields
     * and tries fixed patterns; a #Fields-driven reader must not re-assign
     * them, so their 401 and 404 are not counted. */
    {BEATS "access__test__test.log", IL_FMT_W3C, 17, 3, 0, {[FC] = 2},
     "2018-01-01 08:09:10", "2018-01-01 10:11:12", {{0, 200, 0, 0, 3}}, 0, 0, NULL},
    /* 14 fields, 14 values on every line; line 5's s-ip/c-ip are markdown
     * links and its UA holds "[+2.0.50727](tel:+2050727)", but the value count
     * matches, so it is a valid 404 4 2. */
    {BEATS "access__test__test-iis-7.5.log", IL_FMT_W3C, 8, 4, 0, {0},
     "2018-08-28 18:24:25", "2019-03-06 18:43:17",
     {{0, 200, 0, 0, 3}, {0, 404, 4, 2, 1}}, 0, 0, NULL},
    {BEATS "access__test__test-ipv6zone.log", IL_FMT_W3C, 5, 1, 0, {0},
     "2018-01-01 10:11:12", "2018-01-01 10:11:12", {{0, 200, 0, 0, 1}}, 0, 0, NULL},
    /* no directives: default 15-field order plus a trailing X-Forwarded-For */
    {BEATS "access__test__test-x-forward-for.log", IL_FMT_W3C, 9, 9, 0, {0},
     "2020-10-07 23:00:17", "2020-10-07 23:07:02", {{0, 200, 0, 0, 9}}, 0, 0, NULL},
    /* no directives, CRLF: all 22 fields plus a trailing X-Forwarded-For.
     * (fixed: B1, was a TODO): all 6 lines no_layout, see B1 below. */
    {BEATS "access__test__test-x-forward-for-extended.log", IL_FMT_W3C, 6, 6, 0, {0},
     "2020-10-04 22:00:34", "2020-10-08 22:00:22",
     {{0, 200, 0, 0, 3}, {0, 304, 0, 0, 2}, {0, 404, 0, 2, 1}}, 0,
     0, B1},
    /* no directives, 15 values, mojibake in the URI stems */
    {BEATS "access__test__test-iis-7.2.log", IL_FMT_W3C, 5, 5, 0, {0},
     "2018-12-31 12:02:53", "2018-12-31 12:02:53",
     {{0, 401, 0, 0, 2}, {0, 404, 0, 2, 1}, {0, 404, 0, 64, 2}}, 0, 0, NULL},
    {BEATS "access__test__access.log", IL_FMT_W3C, 5, 1, 0, {0},
     "2018-01-01 09:10:11", "2018-01-01 09:10:11", {{0, 200, 0, 0, 1}}, 0, 0, NULL},
    {BEATS "access__test__access-full.log", IL_FMT_W3C, 5, 1, 0, {0},
     "2018-01-01 09:10:11", "2018-01-01 09:10:11", {{0, 200, 0, 0, 1}}, 0, 0, NULL},
    {BEATS "access__test__access-azure.log", IL_FMT_W3C, 3, 1, 0, {0},
     "2018-01-01 09:10:11", "2018-01-01 09:10:11", {{0, 200, 0, 0, 1}}, 0, 0, NULL},
    {BEATS "w3svc__test__test.log", IL_FMT_W3C, 3, 2, 0, {0},
     "2017-11-20 06:05:07", "2017-11-20 10:43:18",
     {{0, 200, 0, 0, 1}, {0, 304, 0, 0, 1}}, 0, 0, NULL},
    /* No directives, every line its own shape (15, 19, 22, 15, 15, 20, 17, 18
     * values): each is a field selection IIS can write, with its status run
     * where IIS's order puts it. Line 2 is "date time s-sitename cs-method
     * ..." (no s-ip, the 19-field layout of the 2nd block of beats test.log);
     * line 7 ends with an empty ("-") custom field.
     * (fixed: B1, was a TODO): lines 3, 6, 7, 8 no_layout; B2: line 2 no_layout. */
    {INTEG "access___dev__test__pipeline__test-iis-access.log", IL_FMT_W3C, 8, 8, 0, {0},
     "2018-01-01 08:09:10", "2025-12-15 16:38:48",
     {{0, 200, 0, 0, 6}, {0, 401, 0, 0, 1}, {0, 404, 0, 2, 1}}, 0,
     0, B1 " and no s-ip column (B2)"},
    /* no directives: 15 values, then 16 (trailing XFF lists, IPv6, zone ids),
     * the last line 15 again */
    {INTEG "access___dev__test__pipeline__test-iis-access-72.log", IL_FMT_W3C, 11, 11, 0, {0},
     "2018-12-31 12:02:53", "2022-03-13 02:04:11",
     {{0, 200, 0, 0, 6}, {0, 401, 0, 0, 2}, {0, 404, 0, 2, 1}, {0, 404, 0, 64, 2}},
     0, 0, NULL},
    /* Header-less copy of test-iis-7.5.log. Line 1 has 14 values in exactly
     * the IIS 7.x default order (GET at column 4, "/" stem, port 80, status
     * run 404 4 2 where the order puts it); only its s-ip and c-ip are
     * markdown links. With #Fields (beats copy above) it is a valid record;
     * read by shape it is the same record.
     * TODO(iislens bug) B2: line 1 no_layout (guess_layout insists on IP-
     * looking s-ip and c-ip). */
    {INTEG "access___dev__test__pipeline__test-iis-access-75.log", IL_FMT_W3C, 4, 4, 0, {0},
     "2018-08-28 18:24:25", "2019-03-06 18:43:17",
     {{0, 200, 0, 0, 3}, {0, 404, 4, 2, 1}}, 0, G_COUNTS | G_TRIPLES | G_TIME,
     "header-less line 1 with non-IP s-ip/c-ip is no_layout, not 404 4 2 (B2)"},
    /* no directives, all 22 fields. (fixed: B1, was a TODO): all 6 no_layout. */
    {INTEG "access___dev__test__pipeline__test-iis-8.log", IL_FMT_W3C, 6, 6, 0, {0},
     "2019-08-14 00:09:32", "2019-08-14 00:13:10",
     {{0, 200, 4, 5, 1}, {0, 403, 4, 5, 5}}, 0, 0, B1},
    /* 16, 16, 16, 18, 18, 18, 18, 18 values; the Exchange lines carry an XFF
     * list and a client port after time-taken. test-iis10-access.log-expected
     * .json covers only the first 7 lines (it predates the 8th); it too reads
     * the Exchange lines' 3rd value as s-computername and all of them as
     * 200 0 0.
     * (fixed: B1, was a TODO): the 4 Exchange lines (s-computername) no_layout. */
    {INTEG "access___dev__test__pipeline__test-iis10-access.log", IL_FMT_W3C, 8, 8, 0, {0},
     "2021-06-10 23:26:57", "2026-02-18 00:53:38", {{0, 200, 0, 0, 8}}, 0,
     0, B1},
    {INTEG "access___dev__test__pipeline__tst-iis10-access.log", IL_FMT_W3C, 3, 3, 0, {0},
     "2021-06-10 23:26:57", "2022-05-09 17:10:04", {{0, 200, 0, 0, 3}}, 0, 0, NULL},
    {INTEG "access___dev__test__pipeline__test-iis-access-cookie-bytes-split.log",
     IL_FMT_W3C, 1, 1, 0, {0}, "2026-07-06 18:36:16", "2026-07-06 18:36:16",
     {{0, 200, 0, 0, 1}}, 0, 0, NULL},
    /* "Microsoft HTTP Server API 2.0" W3C access log, no substatus/win32 */
    {LNAV ".0", IL_FMT_W3C, 5, 1, 0, {0}, "2002-05-02 17:42:15", "2002-05-02 17:42:15",
     {{0, 200, -1, -1, 1}}, 0, 0, NULL},
    /* IIS Advanced Logging: values with spaces are double-quoted, so by IIS
     * W3C rules (one space between values, spaces written as +) no line has
     * the 16 values its #Fields names. A reader that honoured W3C-draft
     * quoting would see 16 values on each line (and a non-numeric
     * sc-substatus on line 10); that is a feature choice, not asserted. */
    {LNAV ".3", IL_FMT_W3C, 10, 0, 0, {[FC] = 3}, NULL, NULL, {{0}}, 0, 0, NULL},
    /* #Fields names 6 fields, the line has 17 values */
    {LNAV ".5", IL_FMT_W3C, 2, 0, 0, {[FC] = 1}, NULL, NULL, {{0}}, 0, 0, NULL},
    {LNAV ".6", IL_FMT_W3C, 5, 1, 0, {0}, "2015-01-13 00:32:17", "2015-01-13 00:32:17",
     {{0, 404, 0, 2, 1}}, 0, 0, NULL},
    /* 210 records under 11 identical header blocks */
    {LNAV "_big.0", IL_FMT_W3C, 254, 210, 0, {0}, "2015-01-13 00:32:17", "2015-01-13 23:15:41",
     {{0, 200, 0, 0, 7}, {0, 200, 0, 64, 1}, {0, 404, 0, 0, 2}, {0, 404, 0, 2, 200}},
     0, 0, NULL},
    /* No directives, 22 values on lines 1-3. Line 4 has 19: the same order
     * without sc-bytes cs-bytes time-taken, a field selection IIS can write,
     * so it is a valid 200 0 0.
     * (fixed: B1, was a TODO): all 4 lines no_layout. */
    {"wazuh__wazuh-ruleset/rules__log-entries__iis6", IL_FMT_W3C, 4, 4, 0, {0},
     "2005-05-21 05:39:27", "2007-01-23 05:00:11",
     {{0, 200, 0, 0, 2}, {0, 400, 0, 0, 1}, {0, 500, 0, 0, 1}}, 0,
     0, B1},
    /* IIS 5 "#Fields: date c-ip cs-uri-stem cs-bytes": sc-status and time are
     * not logged. Lines 5, 6 and 8 have the 4 values the layout names, so they
     * are requests whose status is not logged (-1), as sub-status and win32
     * are when not logged; line 7 has 3 values (field_count). No record has a
     * time, so none has a timestamp.
     * (fixed: B4, was a TODO): lines 5, 6, 8 counted as malformed 'status'. */
    {"brianary__scripts/test__data__ex031118.log", IL_FMT_W3C, 8, 3, 0, {[FC] = 1},
     NULL, NULL, {{0, -1, -1, -1, 3}}, 0, 0,
     "a layout without sc-status makes every line malformed 'status' (B4)"},
    {"brianary__scripts/test__data__ex960101.log", IL_FMT_W3C, 6, 5, 0, {0},
     "1996-01-01 10:48:02", "1996-01-01 10:48:05", {{0, 200, -1, -1, 5}}, 0, 0, NULL},
    /* not in SOURCES.md, but in SHA256SUMS: IIS 7.0, 11 header blocks */
    {"brianary__scripts/test__data__u_ex100815.log", IL_FMT_W3C, 56, 16, 0, {0},
     "2010-08-15 00:39:30", "2010-08-15 22:51:01",
     {{0, 200, 0, 0, 7}, {0, 304, 0, 0, 2}, {0, 304, 0, 64, 1}, {0, 404, 0, 2, 5},
      {0, 404, 0, 64, 1}}, 0, 0, NULL},
    /* not in SOURCES.md, but in SHA256SUMS: IIS 8.5, one block per record */
    {"brianary__scripts/test__data__u_ex160110.log", IL_FMT_W3C, 128, 28, 0, {0},
     "2016-01-10 00:07:26", "2016-01-10 22:17:53",
     {{0, 200, 0, 0, 8}, {0, 200, 0, 64, 1}, {0, 304, 0, 0, 8}, {0, 404, 0, 2, 10},
      {0, 404, 0, 64, 1}}, 0, 0, NULL},
    /* two empty lines before the header */
    {"krasninja__querycat/src__QueryCat.IntegrationTests__Data__u_ex220826.log", IL_FMT_W3C,
     8, 2, 0, {0}, "2022-08-26 00:00:10", "2022-08-26 00:02:23", {{0, 200, 0, 0, 2}},
     0, 0, NULL},
    {LJ "model__Formats__W3C_-_Extended_Log_Format.format.xml.sample-log.extracted.txt",
     IL_FMT_W3C, 8, 4, 0, {0}, "2012-09-14 03:15:29", "2012-09-14 03:16:24",
     {{0, 404, 0, 2, 4}}, 0, 0, NULL},

    /* ---- FTP ------------------------------------------------------------- */
    /* One header-less IIS FTP line: 13 values in the implied FTP order (date
     * time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status
     * sc-win32-status sc-substatus x-session x-fullpath); s-port 21, a GUID
     * x-session. ControlChannelClosed is logged with sc-status "-" (empty),
     * win32 0, sub 0: an ordinary FTP record, status not logged (the
     * sample's expected JSON agrees: one event, no status, sub 0, win32 0).
     * (fixed: B5, was a TODO): detected as w3c and the line is no_layout; even
     * with format=ftp the "-" status makes it malformed 'status'. */
    {INTEG "access___dev__test__pipeline__test-iis-ftp.log", IL_FMT_FTP, 1, 1, 0, {0},
     "2022-10-05 10:43:56", "2022-10-05 10:43:56", {{1, -1, 0, 0, 1}}, 0,
     0,
     "header-less FTP line not recognised, '-' FTP status malformed (B5)"},
    /* IIS 4.0 FTP: "#Fields: time c-ip cs-method cs-uri-stem sc-status" with
     * [n]USER/PASS/QUIT/sent/created commands and FTP replies 331/230/226.
     * There is no date field: by W3C rules the day is the #Date one
     * (2000-10-09, then 2000-10-10 for the second block).
     * (fixed: B6, was a TODO): detected as w3c (HTTP triples 331/230/226), and
     * records without a date field get no timestamp. */
    {LNAV ".2", IL_FMT_FTP, 22, 14, 0, {0}, "2000-10-09 16:44:49", "2000-10-10 16:48:05",
     {{1, 226, -1, -1, 8}, {1, 230, -1, -1, 3}, {1, 331, -1, -1, 3}}, 0,
     0,
     "IIS 4 FTP log read as HTTP; no date taken from #Date (B6)"},

    /* ---- HTTPERR (counted as httperr, never as requests or triples) ------- */
    {BEATS "error__test__test.log", IL_FMT_HTTPERR, 8, 0, 4, {0},
     "2018-01-01 08:09:10", "2018-01-01 11:12:13", {{0}}, 0, 0, NULL},
    {BEATS "error__test__error.log", IL_FMT_HTTPERR, 8, 0, 4, {0},
     "2002-07-05 18:45:09", "2002-07-05 20:06:01", {{0}}, 0, 0, NULL},
    /* no directives, 13 values each; the expected JSON also has 8 events.
     * (fixed: B3, was a TODO): lines 5 and 7 (s-reason NotFound) no_layout. */
    {BEATS "error__test__iis_error_url.log", IL_FMT_HTTPERR, 8, 0, 8, {0},
     "2018-05-05 05:05:55", "2018-05-05 05:05:55", {{0}}, 0, 0, B3},
    /* 14-field layout with streamid */
    {BEATS "error__test__ipv6_zone_id.log", IL_FMT_HTTPERR, 5, 0, 1, {0},
     "2018-12-30 14:22:07", "2018-12-30 14:22:07", {{0}}, 0, 0, NULL},
    /* no directives; the last line's s-queuename is "TCP" (13 values).
     * (fixed: B3, was a TODO): lines 5 and 7 (s-reason NotFound) no_layout. */
    {INTEG "error___dev__test__pipeline__test-iis-error.log", IL_FMT_HTTPERR, 9, 0, 9, {0},
     "2018-05-05 05:05:55", "2026-05-25 05:21:53", {{0}}, 0, 0, B3},
    {INTEG "error___dev__test__pipeline__test-iis-error-72.log", IL_FMT_HTTPERR, 4, 0, 4, {0},
     "2018-01-01 08:09:10", "2018-01-01 11:12:13", {{0}}, 0, 0, NULL},
    {LJ "model__Formats__HTTPERR.format.xml.sample-log.extracted.txt", IL_FMT_HTTPERR,
     17, 0, 9, {0}, "2012-02-06 13:31:17", "2012-02-29 12:49:50", {{0}}, 0, 0, NULL},
    /* Starts with an empty line and ends with four TABs (C# indentation, no
     * newline): a line that is not empty and not a directive, holding 1 value
     * where #Fields names 13 (field_count). */
    {LJ "tests__model__ReadersIntegrationTests.cs.HTTPERR_SmokeTest.extracted.txt",
     IL_FMT_HTTPERR, 24, 0, 10, {[FC] = 1}, "2011-12-08 06:06:19", "2012-02-29 12:49:50",
     {{0}}, 0, 0, NULL},

    /* ---- IIS native (local time, read as UTC: native_tz 0; no sub-status) - */
    {"brianary__scripts/test__data__ex010320.log", IL_FMT_IIS, 2, 2, 0, {0},
     "2001-03-20 07:55:20", "2001-03-20 07:57:20", {{0, 200, -1, 0, 2}}, 0, 0, NULL},
    {LJ "model__Formats__IIS.format.xml.sample-log.extracted.txt", IL_FMT_IIS, 7, 7, 0, {0},
     "2013-02-23 12:12:46", "2013-02-23 12:12:57",
     {{0, 200, -1, 0, 3}, {0, 304, -1, 0, 2}, {0, 404, -1, 2, 2}}, 0, 0, NULL},
    /* win32 2148074254 (> 2^31), a user name with a space, "-, " line ends,
     * 2- and 4-digit years; the four trailing TABs are a line that does not
     * parse as IIS native (syntax). */
    {LJ "tests__model__ReadersIntegrationTests.cs.IIS_SmokeTest.extracted.txt", IL_FMT_IIS,
     7, 6, 0, {[IL_BAD_SYNTAX] = 1}, "2001-03-20 07:55:20", "2009-06-10 10:11:59",
     {{0, 200, -1, 0, 3}, {0, 401, -1, 0, 1}, {0, 401, -1, 2148074254LL, 2}}, 0, 0, NULL},

    /* ---- NCSA (local time with offset: +0100 -> UTC one hour earlier) ------ */
    {LJ "model__Formats__W3C_-_NCSA.format.xml.sample-log.extracted.txt", IL_FMT_NCSA, 3, 3,
     0, {0}, "2013-02-23 11:33:04", "2013-02-23 11:33:11",
     {{0, 200, -1, -1, 1}, {0, 404, -1, -1, 2}}, 0, 0, NULL},

    /* ---- not IIS: robustness only ---------------------------------------- */
    {LNAV ".1", IL_FMT_UNKNOWN, 7, 0, 0, {0}, NULL, NULL, {{0}}, 1, 0, NULL},
    {LNAV ".4", IL_FMT_UNKNOWN, 6, 0, 0, {0}, NULL, NULL, {{0}}, 1, 0, NULL},
    {"brianary__scripts/test__data__pf040903.log", IL_FMT_UNKNOWN, 9, 0, 0, {0}, NULL, NULL,
     {{0}}, 1, 0, NULL},
};

/* ---- helpers ------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
/* One TAP line. todo: a known iislens bug may make it fail; then it prints a
 * TAP TODO line instead of failing. Returns cond. */
static int check(int cond, int todo, const char *why, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    if (!cond && !todo)
        tap_failed++;
    printf("%sok %d - ", cond || todo ? "" : "not ", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (todo)
        printf(cond ? " # TODO passes now, make it a real assertion (%s)"
                    : " # TODO iislens bug: %s", why);
    printf("\n");
    return cond;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM:SS" (UTC, year >= 1970) to epoch seconds */
static int64_t utc(const char *s)
{
    int y, mo, d, h, mi, se;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6)
        return INT64_MIN;
    int64_t days = 0;
    for (int yy = 1970; yy < y; yy++)
        days += leap(yy) ? 366 : 365;
    for (int m = 1; m < mo; m++)
        days += mdays[m - 1] + (m == 2 && leap(y));
    days += d - 1;
    return days * 86400 + h * 3600 + mi * 60 + se;
}

static void fmt_time(int64_t t, char *buf, size_t cap)
{
    if (t == INT64_MIN || t == INT64_MAX) {
        snprintf(buf, cap, "none");
        return;
    }
    int64_t days = t / 86400, rem = t % 86400;
    int y = 1970, m = 0;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    while (days >= (leap(y) ? 366 : 365))
        days -= leap(y++) ? 366 : 365;
    while (days >= mdays[m] + (m == 1 && leap(y)))
        days -= mdays[m] + (m == 1 && leap(y)), m++;
    snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d", y, m + 1, (int)days + 1,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* Data lines of a file, counted here independently of the engine: lines that
 * are not empty (after a trailing CR, and a BOM on line 1) and not
 * directives. Every one must be counted exactly once somewhere. */
static long data_lines(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(buf);
                fclose(fp);
                return -1;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        if (got == 0)
            break;
        n += got;
    }
    fclose(fp);
    long count = 0;
    for (size_t i = 0, lineno = 1; i < n; lineno++) {
        const char *nl = memchr(buf + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - buf) : n, s = i;
        if (e > s && buf[e - 1] == '\r')
            e--;
        if (lineno == 1 && e - s >= 3 && memcmp(buf + s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        if (e > s && buf[s] != '#')
            count++;
        i = nl ? (size_t)(nl - buf) + 1 : n;
    }
    free(buf);
    return count;
}

static il_status run_file(const char *path, unsigned threads, size_t chunk, il_run *run,
                          char *err, size_t errcap)
{
    il_engine_opts o;
    il_engine_default_opts(&o);
    o.threads = threads;
    /* chunk 1: every line through the general path (no one-pass scan) */
    o.general_path = chunk == 1;
    if (chunk == 1)
        chunk = 0;
    if (chunk)
        o.chunk = chunk;
    const char *paths[] = {path};
    return il_engine_run(paths, 1, &o, run, err, errcap);
}

static uint64_t sum_bad(const il_agg *a, int with_directive)
{
    uint64_t s = 0;
    for (int b = 0; b < IL__BAD_COUNT; b++)
        if (with_directive || b != IL_BAD_DIRECTIVE)
            s += a->bad[b];
    return s;
}

static void print_counts(const il_run *r)
{
    const il_agg *a = r->agg;
    printf("#   got: lines %" PRIu64 ", requests %" PRIu64 " (http %" PRIu64 ", ftp %" PRIu64
           "), httperr %" PRIu64 ", malformed:",
           r->nfiles ? r->files[0].lines : 0, a->requests, a->http, a->ftp, a->httperr);
    for (int b = 0; b < IL__BAD_COUNT; b++)
        if (a->bad[b])
            printf(" %s %" PRIu64, il_bad_name((il_bad)b), a->bad[b]);
    printf("\n");
}

static void print_triples(const il_agg *a)
{
    uint32_t n = il_strtab_count(a->triples);
    for (uint32_t i = 0; i < n; i++) {
        size_t kn;
        const il_triple_key *k = (const il_triple_key *)il_strtab_key(a->triples, i, &kn);
        const il_triple_stat *s = il_strtab_val(a->triples, i);
        printf("#   got triple {%d, %d, %d, %" PRId64 ", %" PRIu64 "}\n", k->proto,
               (int)k->status, (int)k->sub, k->win32, s->n);
    }
}

static uint64_t triple_n(const il_agg *a, int proto, int32_t status, int32_t sub,
                         int64_t win32)
{
    il_triple_key key;
    memset(&key, 0, sizeof key);
    key.proto = (uint8_t)proto;
    key.status = status;
    key.sub = sub;
    key.win32 = win32;
    const il_triple_stat *s = il_strtab_find(a->triples, &key, sizeof key);
    return s ? s->n : 0;
}

/* Differences between two runs of the same file (0 = identical). */
static int compare_runs(const il_run *x, const il_run *y)
{
    const il_agg *a = x->agg, *b = y->agg;
    int d = 0;
    if (a->requests != b->requests || a->http != b->http || a->ftp != b->ftp ||
        a->httperr != b->httperr || a->first != b->first || a->last != b->last ||
        x->files[0].lines != y->files[0].lines || x->files[0].format != y->files[0].format)
        d++;
    for (int i = 0; i < IL__BAD_COUNT; i++)
        if (a->bad[i] != b->bad[i]) {
            printf("#   %s: %" PRIu64 " vs %" PRIu64 "\n", il_bad_name((il_bad)i), a->bad[i],
                   b->bad[i]);
            d++;
        }
    uint32_t n = il_strtab_count(a->triples);
    if (n != il_strtab_count(b->triples))
        d++;
    for (uint32_t i = 0; i < n; i++) {
        size_t kn;
        const void *k = il_strtab_key(a->triples, i, &kn);
        const il_triple_stat *sa = il_strtab_val(a->triples, i);
        const il_triple_stat *sb = il_strtab_find(b->triples, k, kn);
        if (!sb || sb->n != sa->n)
            d++;
    }
    if (d) {
        print_counts(x);
        print_counts(y);
    }
    return d;
}

/* ---- one sample ----------------------------------------------------------- */

static void check_file(const char *dir, const expect *e)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->name);
    il_run r1, r2;
    char err[512] = "";
    il_status st = run_file(path, 1, 0, &r1, err, sizeof err);
    int ok = st == IL_OK && r1.agg && r1.nfiles == 1 && r1.files[0].error[0] == '\0';
    check(ok, 0, NULL, "%s: read (threads=1)", e->name);
    if (!ok) {
        printf("#   status %d, %s %s\n", (int)st, err,
               st == IL_OK && r1.nfiles ? r1.files[0].error : "");
        if (st == IL_OK)
            il_run_free(&r1);
        return;
    }
    const il_agg *a = r1.agg;
    uint64_t tsum = 0;
    for (uint32_t i = 0; i < il_strtab_count(a->triples); i++)
        tsum += ((const il_triple_stat *)il_strtab_val(a->triples, i))->n;
    long dl = data_lines(path);

    if (e->robust) {
        ok = r1.files[0].lines == e->lines && dl >= 0 &&
             a->requests + a->httperr + sum_bad(a, 0) == (uint64_t)dl &&
             a->http + a->ftp == a->requests && tsum == a->requests &&
             (a->requests + a->httperr == 0 || a->first <= a->last);
        check(ok, 0, NULL, "%s: not IIS; every one of its %ld data lines counted once, "
              "triples add up", e->name, dl);
        if (!ok)
            print_counts(&r1);
    } else {
        int todo = (e->todo & G_FORMAT) != 0;
        if (!check(r1.files[0].format == e->fmt, todo, e->why, "%s: format %s", e->name,
                   il_format_name(e->fmt)))
            printf("#   got %s\n", il_format_name(r1.files[0].format));

        todo = (e->todo & G_COUNTS) != 0;
        uint64_t eftp = 0;
        for (size_t j = 0; j < sizeof e->t / sizeof e->t[0] && e->t[j].n; j++)
            if (e->t[j].proto == 1)
                eftp += e->t[j].n;
        ok = r1.files[0].lines == e->lines && a->requests == e->requests &&
             a->httperr == e->httperr && a->ftp == eftp &&
             a->http + a->ftp == a->requests &&
             a->requests + a->httperr + sum_bad(a, 0) == (uint64_t)dl;
        for (int b = 0; b < IL__BAD_COUNT; b++)
            ok = ok && a->bad[b] == e->bad[b];
        char want[256];
        int wn = snprintf(want, sizeof want, "lines %" PRIu64 ", requests %" PRIu64
                          ", httperr %" PRIu64, e->lines, e->requests, e->httperr);
        for (int b = 0; b < IL__BAD_COUNT; b++)
            if (e->bad[b] && wn > 0 && (size_t)wn < sizeof want)
                wn += snprintf(want + wn, sizeof want - (size_t)wn, ", %s %" PRIu64,
                               il_bad_name((il_bad)b), e->bad[b]);
        if (!check(ok, todo, e->why, "%s: counts (%s; ftp %" PRIu64 ")", e->name, want,
                   eftp))
            print_counts(&r1);

        /* every expected triple with its count, nothing else */
        todo = (e->todo & G_TRIPLES) != 0;
        size_t nt = 0;
        uint64_t esum = 0;
        ok = 1;
        for (; nt < sizeof e->t / sizeof e->t[0] && e->t[nt].n; nt++) {
            const exp_triple *t = &e->t[nt];
            esum += t->n;
            uint64_t got = triple_n(a, t->proto, t->status, t->sub, t->win32);
            if (got != t->n) {
                ok = 0;
                printf("#   triple {%d, %d, %d, %" PRId64 "}: got %" PRIu64 ", want %" PRIu64
                       "\n", t->proto, (int)t->status, (int)t->sub, t->win32, got, t->n);
            }
        }
        ok = ok && il_strtab_count(a->triples) == nt && esum == e->requests &&
             tsum == a->requests;
        if (!check(ok, todo, e->why, "%s: %zu triple(s), %" PRIu64 " request(s) in all",
                   e->name, nt, esum))
            print_triples(a);

        todo = (e->todo & G_TIME) != 0;
        char g1[80], g2[80];
        fmt_time(a->first, g1, sizeof g1);
        fmt_time(a->last, g2, sizeof g2);
        if (e->first)
            ok = a->first == utc(e->first) && a->last == utc(e->last);
        else
            ok = a->first > a->last; /* no timestamped record */
        if (!check(ok, todo, e->why, "%s: first %s, last %s", e->name,
                   e->first ? e->first : "none", e->last ? e->last : "none"))
            printf("#   got first %s, last %s\n", g1, g2);
    }

    /* the same file cut into 64-byte chunks on two threads */
    st = run_file(path, 2, 64, &r2, err, sizeof err);
    ok = st == IL_OK && r2.agg && r2.nfiles == 1;
    int same = ok && compare_runs(&r1, &r2) == 0;
    check(same, 0, NULL, "%s: threads=2 chunk=64 gives the same counts and triples", e->name);
    if (!ok)
        printf("#   status %d, %s\n", (int)st, err);
    if (st == IL_OK)
        il_run_free(&r2);

    /* the same file with every line through the general path */
    st = run_file(path, 1, 1, &r2, err, sizeof err);
    ok = st == IL_OK && r2.agg && r2.nfiles == 1;
    same = ok && compare_runs(&r1, &r2) == 0;
    check(same, 0, NULL, "%s: the general path gives the same counts and triples", e->name);
    if (st == IL_OK)
        il_run_free(&r2);
    il_run_free(&r1);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/corpus/real";
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("ok 1 # SKIP corpus not found (%s)\n1..1\n", dir);
        return 0;
    }
    /* the table itself: triple counts add up to the requests */
    size_t bad_rows = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t s = 0;
        for (size_t j = 0; j < 8 && cases[i].t[j].n; j++)
            s += cases[i].t[j].n;
        if (s != cases[i].requests) {
            bad_rows++;
            printf("#   table row %s: triples add up to %" PRIu64 "\n", cases[i].name, s);
        }
    }
    TAP_EQ_U(bad_rows, 0, "expectation table: triple counts add up to requests in every row");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_file(dir, &cases[i]);
    return tap_done();
}
