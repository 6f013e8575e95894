// zlib, a system library (Debian: zlib1g-dev): the DOCX reader inflates a part's deflated bytes with it directly.
#include <zlib.h>

// inflateInit2 is a macro; a plain function is easier to call from Swift.
static inline int ogilint_inflate_init_raw(z_stream *stream) { return inflateInit2(stream, -MAX_WBITS); }
