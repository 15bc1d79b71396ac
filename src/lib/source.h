/*
 * source.h - where the log engine's bytes come from: a log file or standard
 * input, plain, gzip- or zstd-compressed, read as one stream of content.
 * Implemented in source.c over platform.h's il_file_* (plain files) and
 * stdio's stdin (for "-"); zlib and zstd when the build defines
 * IL_HAVE_ZLIB / IL_HAVE_ZSTD.
 *
 * Ownership: an il_source owns its file handle, its decoder and one input
 * buffer of 256 KiB (compressed kinds only); il_source_close() releases them
 * all. A source opened on "-" reads the process's stdin but never closes it.
 * The caller owns every buffer passed in. A source is not thread-safe, except
 * that il_source_read_at() calls on a plain regular file may run from several
 * threads at once (each is an independent positional read).
 *
 * Messages written into err are one line, "NAME: reason", where NAME is the
 * path as given ("standard input" for "-"); they are truncated to errcap and
 * always NUL-terminated (err may be NULL when errcap is 0). The path is
 * copied as is: escape it (il_buf_term_str) before showing it.
 */
#ifndef IISLENS_SOURCE_H
#define IISLENS_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct il_source il_source;

typedef enum { IL_SRC_PLAIN = 0, IL_SRC_GZIP, IL_SRC_ZSTD } il_src_kind;

/* Open path for reading ("-" = standard input). The kind is detected from the
 * first bytes (gzip magic 1f 8b; zstd magic 28 b5 2f fd, or a zstd skippable
 * frame 5? 2a 4d 18 as pzstd writes first), never from the name; peeked
 * bytes are kept, so a pipe loses nothing. A path that cannot be read at an
 * offset (a FIFO, /dev/fd/N from a shell's <(...)) is read sequentially.
 * On failure returns NULL and writes a one-line message naming the path and
 * the reason into err (e.g. "LogFiles/x.log: No such file or directory", or
 * "x.log.zst is zstd-compressed; this build of iislens has no zstd support"
 * when the build lacks that decoder). */
il_source *il_source_open(const char *path, char *err, size_t errcap);

il_src_kind il_source_kind(const il_source *s);

/* Size in bytes for a plain regular file, else -1 (compressed, pipe, stdin). */
int64_t il_source_size(const il_source *s);

/* Sequential read of the (decompressed) content into buf (cap > 0; one call
 * returns at most 1 GiB): returns bytes read (> 0), 0 at the end, -1 on error
 * with a message in err naming the path and, for a corrupt or truncated
 * .gz/.zst, saying so ("corrupt gzip data at byte N (zlib's reason)",
 * "truncated gzip stream", likewise "zstd"; N is an offset in the compressed
 * file, as close to the damage as the decoder tells). Content decoded before
 * an error is returned first; the error then repeats on every later call.
 * Multi-member gzip files (concatenated; trailing zero padding is ignored)
 * and multi-frame zstd files are read whole. zstd frames needing a window
 * over 128 MiB (zstd --long=28 and up) are refused with a message saying so. */
int64_t il_source_read(il_source *s, void *buf, size_t cap, char *err, size_t errcap);

/* Positional read, plain regular files only (for parallel chunks): like
 * pread, returns bytes read, 0 at or past the end; -1 when not a plain
 * regular file or on error. Does not move the sequential position. */
int64_t il_source_read_at(il_source *s, void *buf, size_t cap, int64_t off);

/* Close and free; NULL is a no-op. */
void il_source_close(il_source *s);

#endif
