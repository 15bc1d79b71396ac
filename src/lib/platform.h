/*
 * platform.h - the only place where POSIX and Windows differ: terminals,
 * files, threads and processor count. Everything else in iislens is plain
 * C11 over these calls. Implemented in platform.c.
 */
#ifndef IISLENS_PLATFORM_H
#define IISLENS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Prepare the process's standard streams: binary stdout/stderr on Windows
 * (so output is byte-identical across systems) and a UTF-8, VT-capable
 * console when there is one. Call once at start. */
void il_plat_init_console(void);

/* 1 when file descriptor fd (0, 1, 2) is a terminal. */
int il_plat_isatty(int fd);

/* Columns of the terminal on fd, or 0 when unknown or not a terminal. */
unsigned il_plat_term_width(int fd);

/* Number of online processors, at least 1. */
unsigned il_plat_ncpu(void);

/* A file opened for reading. */
typedef struct il_file il_file;

/* Open path for reading; NULL with errno set on failure. */
il_file *il_file_open(const char *path);
/* Size in bytes, or -1 on error. */
int64_t il_file_size(il_file *f);
/* Read up to n bytes at offset; returns bytes read, 0 at end, -1 on error. */
int64_t il_file_read_at(il_file *f, void *buf, size_t n, int64_t offset);
void il_file_close(il_file *f);

/* Threads: a minimal start/join pair. */
typedef struct il_thread il_thread;
il_thread *il_thread_start(void *(*fn)(void *), void *arg);
void il_thread_join(il_thread *t);

/* Let other threads run (used while waiting on a neighbour's result). */
void il_thread_yield(void);

/* Call fn for path if it is a file, or for every file below it (sorted by
 * name, recursively) if it is a directory. On Windows a path whose last part
 * holds * or ? is expanded as a wildcard. fn returns non-zero to stop.
 * Returns 0, or -1 with errno set when path cannot be read. want_file, when
 * not NULL, filters the files found inside directories (not explicit files). */
int il_walk(const char *path, int (*want_file)(const char *name),
            int (*fn)(const char *file, void *ctx), void *ctx);

/* 1 when path names a directory. */
int il_is_dir(const char *path);

/* 64 bits that differ between runs (time, process, addresses), to seed
 * hash tables against crafted collisions. Not for cryptography. */
uint64_t il_random_seed(void);

/* Seconds from an arbitrary start, monotonic, for timing reports. */
double il_plat_now(void);

/* Offset in seconds east of UTC of the process's local time zone at UTC
 * time t (DST included), from the C library's zone rules (TZ on POSIX). */
int64_t il_plat_utc_offset(int64_t t);

/* Use time zone `name` (an IANA name such as "Europe/Berlin") for
 * il_plat_utc_offset. Returns 0 when the name is unknown or zone names are
 * not supported on this system (Windows). */
int il_plat_set_tz(const char *name);

#endif
