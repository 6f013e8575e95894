// Raw deflate streams inflated by libdeflate (Debian: libdeflate0, which poppler-utils brings through libtiff), loaded
// with dlopen when the first DOCX part is inflated; zlib does the work where it is not installed (see libdeflate.c).
#ifndef OGILINT_LIBDEFLATE_H
#define OGILINT_LIBDEFLATE_H

#include <stddef.h>

/// Inflates the raw deflate stream in the `in_len` bytes at `in` into the `out_len` bytes at `out` with libdeflate,
/// and sets `*written` to the bytes written: 1 when the stream ended within `in` and its output fitted in `out`; 0
/// when libdeflate is not installed, the stream is damaged or does not end within `in`, or more than `out_len` bytes
/// would come out (the caller then inflates with zlib, which says which).
int ogilint_libdeflate_inflate(const void *in, size_t in_len, void *out, size_t out_len, size_t *written);

/// 1 when libdeflate could be loaded (the first call tries), 0 otherwise.
int ogilint_libdeflate_available(void);

#endif
