/*
 * platform.c - POSIX and Windows implementations of platform.h. Each
 * function has exactly one #ifdef; keep them small.
 */
#if !defined(_WIN32) && !defined(__APPLE__)
#define _DEFAULT_SOURCE /* pread, ioctl(TIOCGWINSZ) under -std=c11 */
#endif
#include "platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

void il_plat_init_console(void)
{
#ifdef _WIN32
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    _setmode(_fileno(stdin), _O_BINARY);
    SetConsoleOutputCP(CP_UTF8);
    HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;
    if (h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode))
        SetConsoleMode(h, mode | 0x0004 /* ENABLE_VIRTUAL_TERMINAL_PROCESSING */);
#endif
}

int il_plat_isatty(int fd)
{
#ifdef _WIN32
    /* _isatty() is also true for the NUL device; a console has a mode. */
    DWORD mode;
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) != 0;
#else
    return isatty(fd) == 1;
#endif
}

unsigned il_plat_term_width(int fd)
{
    if (!il_plat_isatty(fd))
        return 0;
#ifdef _WIN32
    CONSOLE_SCREEN_BUFFER_INFO info;
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    if (GetConsoleScreenBufferInfo(h, &info))
        return (unsigned)(info.srWindow.Right - info.srWindow.Left + 1);
    return 0;
#else
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
#endif
}

unsigned il_plat_ncpu(void)
{
#ifdef _WIN32
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors ? (unsigned)si.dwNumberOfProcessors : 1;
#else
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
#endif
}

struct il_file {
#ifdef _WIN32
    HANDLE h;
#else
    int fd;
#endif
};

il_file *il_file_open(const char *path)
{
    il_file *f = malloc(sizeof *f);
    if (!f)
        return NULL;
#ifdef _WIN32
    wchar_t wpath[32768];
    if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, 32768)) {
        free(f);
        errno = ENOENT;
        return NULL;
    }
    f->h = CreateFileW(wpath, GENERIC_READ,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (f->h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        errno = e == ERROR_ACCESS_DENIED ? EACCES : ENOENT;
        free(f);
        return NULL;
    }
#else
    f->fd = open(path, O_RDONLY);
    if (f->fd < 0) {
        int e = errno;
        free(f);
        errno = e;
        return NULL;
    }
#endif
    return f;
}

int64_t il_file_size(il_file *f)
{
#ifdef _WIN32
    LARGE_INTEGER sz;
    return GetFileSizeEx(f->h, &sz) ? (int64_t)sz.QuadPart : -1;
#else
    struct stat st;
    return fstat(f->fd, &st) == 0 ? (int64_t)st.st_size : -1;
#endif
}

int64_t il_file_read_at(il_file *f, void *buf, size_t n, int64_t offset)
{
#ifdef _WIN32
    OVERLAPPED ov = {0};
    DWORD got = 0;
    if (n > 0x40000000u)
        n = 0x40000000u;
    ov.Offset = (DWORD)(offset & 0xFFFFFFFF);
    ov.OffsetHigh = (DWORD)((uint64_t)offset >> 32);
    if (!ReadFile(f->h, buf, (DWORD)n, &got, &ov))
        return GetLastError() == ERROR_HANDLE_EOF ? 0 : -1;
    return (int64_t)got;
#else
    ssize_t r;
    do
        r = pread(f->fd, buf, n, (off_t)offset);
    while (r < 0 && errno == EINTR);
    return (int64_t)r;
#endif
}

void il_file_close(il_file *f)
{
    if (!f)
        return;
#ifdef _WIN32
    CloseHandle(f->h);
#else
    close(f->fd);
#endif
    free(f);
}

struct il_thread {
#ifdef _WIN32
    HANDLE h;
    void *(*fn)(void *);
    void *arg;
#else
    pthread_t t;
#endif
};

#ifdef _WIN32
static unsigned __stdcall trampoline(void *p)
{
    il_thread *t = p;
    t->fn(t->arg);
    return 0;
}
#endif

il_thread *il_thread_start(void *(*fn)(void *), void *arg)
{
    il_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
#ifdef _WIN32
    t->fn = fn;
    t->arg = arg;
    t->h = (HANDLE)_beginthreadex(NULL, 0, trampoline, t, 0, NULL);
    if (!t->h) {
        free(t);
        return NULL;
    }
#else
    if (pthread_create(&t->t, NULL, fn, arg) != 0) {
        free(t);
        return NULL;
    }
#endif
    return t;
}

void il_thread_join(il_thread *t)
{
    if (!t)
        return;
#ifdef _WIN32
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
#else
    pthread_join(t->t, NULL);
#endif
    free(t);
}
