/*
 * code.c - reading numbers the way IIS logs and admins write them:
 * sc-win32-status as plain decimal, unsigned HRESULT decimal, signed
 * decimal or hex, and decoding HRESULTs of facility WIN32 to their Win32
 * code. Pure functions over slices; nothing here allocates.
 */
#include "iislens.h"
#include "internal.h"

il_status il_parse_uint(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 19) /* 19 digits always fit in 63 bits */
        return IL_E_PARSE;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return IL_E_PARSE;
        v = v * 10 + d;
    }
    *out = v;
    return IL_OK;
}

void il_win32_decode(uint32_t raw, il_win32 *out)
{
    out->raw = raw;
    out->is_hresult = (raw & 0x80000000u) != 0;
    out->facility_win32 = (raw & 0xFFFF0000u) == 0x80070000u;
    out->code = out->facility_win32 ? (raw & 0xFFFFu) : raw;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

il_status il_win32_parse(const char *s, size_t n, il_win32 *out)
{
    uint64_t v = 0;
    if (n == 0)
        return IL_E_PARSE;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (n - 2 > 8)
            return IL_E_PARSE;
        for (size_t i = 2; i < n; i++) {
            int h = hexval((unsigned char)s[i]);
            if (h < 0)
                return IL_E_PARSE;
            v = v * 16 + (unsigned)h;
        }
    } else if (s[0] == '-') {
        /* a signed 32-bit HRESULT, as some tools print it; small negatives
         * are not HRESULTs (those have the severity bit and a facility) */
        if (il_parse_uint(s + 1, n - 1, &v) != IL_OK || v > 2147483648u ||
            v < 0x10000)
            return IL_E_PARSE;
        v = (uint64_t)4294967296u - v;
    } else {
        if (il_parse_uint(s, n, &v) != IL_OK || v > 0xFFFFFFFFu)
            return IL_E_PARSE;
    }
    il_win32_decode((uint32_t)v, out);
    return IL_OK;
}
