/*
 * reader.h - log records one at a time, in file order, with every column
 * of the file's layout: the streaming counterpart of the engine, for
 * `iislens sql`. Single-threaded; one file open at a time.
 *
 * Ownership: the reader owns its files list, buffers and name strings. A
 * row's slices (rec fields, col[], names) point into them and stay valid
 * until the next il_reader_next or il_reader_close.
 */
#ifndef IISLENS_READER_H
#define IISLENS_READER_H

#include "engine.h"
#include "logfmt.h"

typedef struct il_reader il_reader;

typedef struct il_row {
    il_rec rec;                 /* typed fields (see logfmt.h) */
    int ncol;                   /* columns (W3C/FTP/HTTPERR); 0 for IIS native/NCSA */
    il_str col[IL_MAX_FIELDS];  /* raw values as logged ("-" kept) */
    const char *const *names;   /* the column names, as #Fields writes them */
    size_t file;                /* index for il_reader_file */
    uint64_t line;              /* 1-based line number in that file */
} il_row;

/* Expand paths like the report does and prepare to read them. Options
 * used: format, fields, max_line, native_tz. IL_E_USAGE/IL_E_NOMEM with a
 * message in err. */
il_status il_reader_open(const char *const *paths, size_t npaths,
                         const il_engine_opts *o, il_reader **out, char *err,
                         size_t errcap);
/* The next record: 1 (row filled), 0 at the end. Malformed lines are
 * skipped and counted; a file that cannot be read is skipped with its
 * error in il_reader_file(r, i)->error. */
int il_reader_next(il_reader *r, il_row *row);
size_t il_reader_nfiles(const il_reader *r);
const il_file_info *il_reader_file(const il_reader *r, size_t i);
uint64_t il_reader_malformed(const il_reader *r);
/* Every field name the first directive blocks of the files use (first
 * 64 KiB of each), in first-seen order, NULL-terminated; for a schema. */
const char *const *il_reader_field_names(const il_reader *r);
void il_reader_close(il_reader *r);

#endif
