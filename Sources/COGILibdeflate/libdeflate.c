// libdeflate's whole-buffer decompressor, loaded with dlopen on first use. Its three functions are declared here as
// libdeflate.h (1.x) declares them, so that building needs no libdeflate headers, and the program does not need the
// library: without it, `ogilint_libdeflate_inflate` returns 0 and the caller uses zlib.
#include "ogilint_libdeflate.h"

#include <dlfcn.h>
#include <pthread.h>

/// libdeflate_result: LIBDEFLATE_SUCCESS is 0 (BAD_DATA 1, SHORT_OUTPUT 2, INSUFFICIENT_SPACE 3).
typedef int (*decompress_fn)(void *decompressor, const void *in, size_t in_nbytes, void *out, size_t out_nbytes_avail,
                             size_t *actual_in_nbytes_ret, size_t *actual_out_nbytes_ret);
typedef void *(*alloc_fn)(void);
typedef void (*free_fn)(void *decompressor);

static struct {
    alloc_fn alloc;
    decompress_fn decompress;
    free_fn free;
} api;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    void *handle = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    alloc_fn a = (alloc_fn)dlsym(handle, "libdeflate_alloc_decompressor");
    decompress_fn d = (decompress_fn)dlsym(handle, "libdeflate_deflate_decompress_ex");
    free_fn f = (free_fn)dlsym(handle, "libdeflate_free_decompressor");
    if (!a || !d || !f) {
        dlclose(handle);
        return;
    }
    api.alloc = a;
    api.decompress = d;
    api.free = f;
}

int ogilint_libdeflate_available(void) {
    pthread_once(&loaded, load);
    return api.decompress != NULL;
}

int ogilint_libdeflate_inflate(const void *in, size_t in_len, void *out, size_t out_len, size_t *written) {
    if (!ogilint_libdeflate_available()) return 0;
    // A decompressor per call: libdeflate's are not safe to share between threads, and one is a single allocation.
    void *decompressor = api.alloc();
    if (!decompressor) return 0;
    size_t consumed = 0, produced = 0;
    int result = api.decompress(decompressor, in, in_len, out, out_len, &consumed, &produced);
    api.free(decompressor);
    if (result != 0 || consumed > in_len || produced > out_len) return 0;
    *written = produced;
    return 1;
}
