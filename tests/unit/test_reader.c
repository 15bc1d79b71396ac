/* test_reader.c - the streaming reader behind `iislens sql`: every record
 * of the bundled sample in file order with its columns and names, the same
 * counts as the engine, the #Fields change in the middle of a file, and
 * header-less lines. Run from the repository root. */
#include "reader.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static int write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    fputs(text, fp);
    return fclose(fp) == 0;
}

int main(void)
{
    il_engine_opts o;
    il_engine_default_opts(&o);
    il_reader *r;
    char err[512];
    const char *sample[] = {"data/sample/LogFiles"};
    TAP_OK(il_reader_open(sample, 1, &o, &r, err, sizeof err) == IL_OK, "open the sample folder");
    il_row row;
    uint64_t http = 0, httperr = 0, rows = 0, last_line = 0;
    size_t last_file = 0;
    int ordered = 1, names_ok = 1;
    while (il_reader_next(r, &row) == 1) {
        rows++;
        if (row.rec.kind == IL_FMT_HTTPERR)
            httperr++;
        else
            http++;
        if (row.file < last_file || (row.file == last_file && row.line <= last_line && rows > 1))
            ordered = 0;
        last_file = row.file;
        last_line = row.line;
        if (row.ncol <= 0 || !row.names || !row.names[row.ncol - 1] || row.names[row.ncol])
            names_ok = 0;
    }
    TAP_EQ_U(http, 1139, "every request of the sample");
    TAP_EQ_U(httperr, 4, "every HTTPERR event of the sample");
    TAP_OK(ordered, "rows come in file and line order");
    TAP_OK(names_ok, "every row carries its column names");
    TAP_EQ_U(il_reader_malformed(r), 0, "no malformed lines in the sample");
    const char *const *all = il_reader_field_names(r);
    int has_reason = 0, has_ua = 0;
    for (size_t i = 0; all[i]; i++) {
        has_reason |= strcmp(all[i], "s-reason") == 0;
        has_ua |= strcmp(all[i], "cs(User-Agent)") == 0;
    }
    TAP_OK(has_reason && has_ua, "field names of both files for the schema");
    il_reader_close(r);

    il_run run;
    TAP_OK(il_engine_run(sample, 1, &o, &run, err, sizeof err) == IL_OK &&
               run.agg->requests == http && run.agg->httperr == httperr,
           "same counts as the engine");
    il_run_free(&run);

    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/iislens-reader-%d.log", tmp, rand());
    int ok = write_file(path,
                        "#Fields: date time cs-uri-stem sc-status\r\n"
                        "2026-11-24 09:00:00 /a 200\r\n"
                        "2026-11-24 09:00:01 /short\r\n"
                        "#Fields: date time cs-uri-stem sc-status X-Forwarded-For\r\n"
                        "2026-11-24 09:00:02 /b 404 1.2.3.4\r\n");
    const char *one[] = {path};
    TAP_OK(ok && il_reader_open(one, 1, &o, &r, err, sizeof err) == IL_OK, "open a file whose #Fields change");
    int n = 0;
    while (ok && il_reader_next(r, &row) == 1) {
        n++;
        if (n == 1)
            TAP_OK(row.ncol == 4 && strcmp(row.names[3], "sc-status") == 0 && row.rec.status == 200 &&
                       row.line == 2,
                   "first layout: 4 columns, line 2");
        if (n == 2)
            TAP_OK(row.ncol == 5 && strcmp(row.names[4], "X-Forwarded-For") == 0 &&
                       row.col[4].n == 7 && memcmp(row.col[4].p, "1.2.3.4", 7) == 0 &&
                       row.rec.status == 404 && row.line == 5,
                   "second layout: the custom field by name, line 5");
    }
    TAP_EQ_U(n, 2, "two rows");
    TAP_EQ_U(ok ? il_reader_malformed(r) : 1, 1, "the short line is malformed, not misread");
    int found = 0;
    for (const char *const *a = il_reader_field_names(r); *a; a++)
        found |= strcmp(*a, "X-Forwarded-For") == 0;
    TAP_OK(found, "schema names come from every directive block in the first 64 KiB");
    il_reader_close(r);

    write_file(path, "2026-11-24 09:14:02 10.0.0.5 GET /app/ - 443 - 10.1.2.3 UA - 500 19 13 15\n");
    TAP_OK(il_reader_open(one, 1, &o, &r, err, sizeof err) == IL_OK && il_reader_next(r, &row) == 1 &&
               row.ncol == 15 && strcmp(row.names[4], "cs-uri-stem") == 0 && row.rec.sub == 19,
           "header-less line: columns named from IIS's field order");
    il_reader_close(r);

    /* #Date after #Fields in the same directive block still dates the
     * block's time-only records (as the engine does: tests/report/check.sh) */
    write_file(path, "#Fields: time cs-uri-stem sc-status\r\n"
                     "#Date: 2026-11-24 00:00:00\r\n"
                     "09:00:00 /a 200\r\n"
                     "#Fields: time cs-uri-stem sc-status\r\n"
                     "#Date: 2026-11-25 00:00:00\r\n"
                     "09:00:00 /b 200\r\n");
    int64_t t1 = 0, t2 = 0;
    TAP_OK(il_reader_open(one, 1, &o, &r, err, sizeof err) == IL_OK && il_reader_next(r, &row) == 1 &&
               (t1 = row.rec.t, il_reader_next(r, &row) == 1) && (t2 = row.rec.t, 1),
           "time-only file with #Date after #Fields: two rows");
    TAP_EQ_U((uint64_t)t1, 1795510800, "#Date after #Fields gives the block's records their day");
    TAP_EQ_U((uint64_t)t2, 1795510800 + 86400, "the next block's #Date gives its records theirs");
    il_reader_close(r);

    /* a NUL byte inside a #Fields name (found by fuzz_sql): the list of
     * names used to stop at it, leaving the later columns without one */
    {
        static const char nul_fields[] = "#Fields: date time cs-uri-stem sc-sta\0tus time-taken\r\n"
                                         "2026-11-24 09:00:00 /a 200 15\r\n";
        FILE *fp = fopen(path, "wb");
        int wrote = fp && fwrite(nul_fields, 1, sizeof nul_fields - 1, fp) == sizeof nul_fields - 1;
        if (fp)
            fclose(fp);
        int named = 0;
        if (wrote && il_reader_open(one, 1, &o, &r, err, sizeof err) == IL_OK) {
            if (il_reader_next(r, &row) == 1 && row.ncol == 5) {
                named = 1;
                for (int c = 0; c < row.ncol; c++)
                    named &= row.names[c] != NULL;
                named &= strcmp(row.names[2], "cs-uri-stem") == 0 && strcmp(row.names[4], "time-taken") == 0;
            }
            il_reader_close(r);
        }
        TAP_OK(named, "#Fields with a NUL inside a name: every column still named");
    }
    remove(path);

    const char *missing[] = {"no/such/dir/x.log"};
    TAP_OK(il_reader_open(missing, 1, &o, &r, err, sizeof err) == IL_E_USAGE && strstr(err, "no/such"),
           "a missing path is refused with its name");
    return tap_done();
}
