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

#endif
