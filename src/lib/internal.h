/*
 * internal.h - declarations shared between library modules and not part of
 * the public interface (include/iislens.h). Tests may include it.
 */
#ifndef IISLENS_INTERNAL_H
#define IISLENS_INTERNAL_H

#include "iislens.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* For the few small functions of the per-line hot path that must be
 * inlined into each caller (so each call site has its own branches). */
#if defined(__GNUC__)
#define IL_HOT_INLINE static inline __attribute__((always_inline))
#else
#define IL_HOT_INLINE static inline
#endif

/* 8 and 4 bytes at p, wherever p points (one unaligned load each). */
static inline uint64_t il_load64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t il_load32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s[0..n) does not
 * start with one. s must hold at least one byte. */
size_t il_utf8_seq(const unsigned char *s, size_t n);

/* ASCII case-insensitive comparison of two slices; like memcmp's sign. */
int il_casecmp(const char *a, size_t an, const char *b, size_t bn);

/* First occurrence of needle in hay, or NULL (memmem is not portable). */
const char *il_memmem(const char *hay, size_t hn, const char *needle, size_t nn);

/* Class implied by the status range alone (1xx info ... 5xx server error);
 * IL_CLASS_UNKNOWN outside 100..599. */
il_class il_class_of_status(unsigned status);

/* Tables produced by tools/gen_kb.c into build/gen/kb_data.c. */
extern const il_kb_entry il_kb_data_http[];
extern const size_t il_kb_data_http_n;
extern const il_kb_entry il_kb_data_win32[];
extern const size_t il_kb_data_win32_n;
extern const il_kb_entry il_kb_data_ftp[];
extern const size_t il_kb_data_ftp_n;
extern const il_kb_entry il_kb_data_ftp_sub[];
extern const size_t il_kb_data_ftp_sub_n;
extern const il_kb_entry il_kb_data_httperr[];
extern const size_t il_kb_data_httperr_n;
extern const il_kb_combo il_kb_data_combo[];
extern const size_t il_kb_data_combo_n;
extern const il_kb_source il_kb_data_source[];
extern const size_t il_kb_data_source_n;

#endif
