// The CRC-32 of zip and gzip (polynomial 0x04C11DB7, bits reflected: 0xEDB88320), the value zlib's crc32 returns,
// computed with carry-less multiplication where the CPU has it (see crc32.c).
#ifndef OGILINT_CRC32_H
#define OGILINT_CRC32_H

#include <stddef.h>
#include <stdint.h>

/// zlib's `crc32(crc, buf, len)`: the CRC-32 of the `len` bytes at `buf`, continuing `crc` (0 to start). With
/// PCLMULQDQ on an x86_64 CPU that has PCLMUL and SSE4.1, for 64 bytes or more; with zlib's crc32 otherwise.
uint32_t ogilint_crc32(uint32_t crc, const unsigned char *buf, size_t len);

/// `ogilint_crc32`, or zlib's crc32 whatever the CPU when `allow_clmul` is 0: for the tests that compare the two.
uint32_t ogilint_crc32_choosing(uint32_t crc, const unsigned char *buf, size_t len, int allow_clmul);

/// 1 when `ogilint_crc32` multiplies on this CPU (an x86_64 CPU with PCLMUL and SSE4.1), 0 when it calls zlib.
int ogilint_crc32_uses_clmul(void);

#endif
