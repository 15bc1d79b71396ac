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
#include <string.h>
#include <time.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <windows.h>
#else
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
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

void il_thread_yield(void)
{
#ifdef _WIN32
    SwitchToThread();
#else
    sched_yield();
#endif
}

int il_is_dir(const char *path)
{
#ifdef _WIN32
    wchar_t w[32768];
    if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 32768))
        return 0;
    DWORD a = GetFileAttributesW(w);
    return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
#else
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
#endif
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in a directory (or matching a Windows wildcard), sorted; the caller
 * frees each name and the array. Returns the count, or -1. */
static long list_dir(const char *dir, const char *pattern, char ***out)
{
    char **names = NULL;
    long n = 0, cap = 0;
#ifdef _WIN32
    char spec[4096];
    snprintf(spec, sizeof spec, "%s\\%s", dir, pattern ? pattern : "*");
    wchar_t w[4096];
    if (!MultiByteToWideChar(CP_UTF8, 0, spec, -1, w, 4096))
        return -1;
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(w, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : -1;
    do {
        char name[1024];
        if (!WideCharToMultiByte(CP_UTF8, 0, fd.cFileName, -1, name, sizeof name, NULL, NULL))
            continue;
#else
    (void)pattern;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
#endif
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, (size_t)cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        size_t l = strlen(name);
        char *c = malloc(l + 1);
        if (!c)
            break;
        memcpy(c, name, l + 1);
        names[n++] = c;
#ifdef _WIN32
    } while (FindNextFileW(h, &fd));
    FindClose(h);
#else
    }
    closedir(d);
#endif
    if (n)
        qsort(names, (size_t)n, sizeof *names, cmp_names);
    *out = names;
    return n;
}

static int walk_dir(const char *dir, const char *pattern, int depth,
                    int (*want_file)(const char *), int (*fn)(const char *, void *),
                    void *ctx)
{
    char **names = NULL;
    long n = list_dir(dir, pattern, &names);
    if (n < 0)
        return -1;
    int stop = 0;
    for (long i = 0; i < n; i++) {
        if (!stop) {
            size_t len = strlen(dir) + strlen(names[i]) + 2;
            char *p = malloc(len);
            if (p) {
                snprintf(p, len, "%s/%s", dir, names[i]);
                if (il_is_dir(p)) {
                    if (depth < 32 && !pattern)
                        stop = walk_dir(p, NULL, depth + 1, want_file, fn, ctx) > 0;
                } else if (pattern || !want_file || want_file(names[i])) {
                    stop = fn(p, ctx);
                }
                free(p);
            }
        }
        free(names[i]);
    }
    free(names);
    return stop;
}

int il_walk(const char *path, int (*want_file)(const char *name),
            int (*fn)(const char *file, void *ctx), void *ctx)
{
    if (strcmp(path, "-") == 0) {
        fn(path, ctx);
        return 0;
    }
#ifdef _WIN32
    const char *base = strrchr(path, '\\');
    const char *b2 = strrchr(path, '/');
    if (!base || (b2 && b2 > base))
        base = b2;
    const char *last = base ? base + 1 : path;
    if (strpbrk(last, "*?")) {
        char dir[4096];
        size_t dl = base ? (size_t)(base - path) : 1;
        if (dl >= sizeof dir)
            return -1;
        if (base)
            memcpy(dir, path, dl);
        else
            dir[0] = '.';
        dir[dl] = '\0';
        return walk_dir(dir, last, 0, want_file, fn, ctx) < 0 ? -1 : 0;
    }
#endif
    if (il_is_dir(path)) {
        /* trim trailing slashes so joined paths read well */
        size_t l = strlen(path);
        char *p = malloc(l + 1);
        if (!p)
            return -1;
        memcpy(p, path, l + 1);
        while (l > 1 && (p[l - 1] == '/' || p[l - 1] == '\\'))
            p[--l] = '\0';
        int rc = walk_dir(p, NULL, 0, want_file, fn, ctx);
        free(p);
        return rc < 0 ? -1 : 0;
    }
    il_file *f = il_file_open(path);
    if (!f)
        return -1;
    il_file_close(f);
    fn(path, ctx);
    return 0;
}

uint64_t il_random_seed(void)
{
    uint64_t x = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
    x ^= (uint64_t)(uintptr_t)&x;              /* stack address (ASLR) */
    x ^= (uint64_t)(uintptr_t)&il_random_seed; /* code address (ASLR) */
    x ^= (uint64_t)clock() << 32;
#ifdef _WIN32
    x ^= (uint64_t)GetCurrentProcessId() << 16;
    x ^= GetTickCount64();
    LARGE_INTEGER pc;
    QueryPerformanceCounter(&pc);
    x ^= (uint64_t)pc.QuadPart;
#else
    x ^= (uint64_t)getpid() << 16;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    x ^= (uint64_t)ts.tv_nsec * 0xBF58476D1CE4E5B9ull;
#endif
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 29;
    return x;
}

double il_plat_now(void)
{
#ifdef _WIN32
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart / (double)f.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}

int64_t il_plat_utc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
#ifdef _WIN32
    if (localtime_s(&tm, &tt) != 0)
        return 0;
#else
    if (!localtime_r(&tt, &tm))
        return 0;
#endif
    /* local civil time as if it were UTC, minus the real UTC time */
    int64_t y = tm.tm_year + 1900;
    unsigned m = (unsigned)tm.tm_mon + 1;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)tm.tm_mday - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + (int64_t)doe - 719468;
    int64_t local = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return local - t;
}

int il_plat_set_tz(const char *name)
{
#ifdef _WIN32
    (void)name;
    return 0;
#else
    if (!name || !*name || strstr(name, "..") || name[0] == '/')
        return 0;
    const char *dir = getenv("TZDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (setenv("TZ", name, 1) != 0)
        return 0;
    tzset();
    return 1;
#endif
}
