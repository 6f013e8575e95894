// A per-thread cache of small freed blocks in front of glibc's allocator, for the `ogilint` program.
//
// A batch report makes and frees some 1,600 blocks, most of them small, many of one size in a row (a model's
// lines, cells and strings are freed together when its findings are written). glibc keeps seven freed blocks of a
// size per thread (its tcache); the rest go through its arena's bins (`_int_free`, `_int_malloc`), about a tenth
// of a batch's instructions with `malloc` and `free` around them. This cache keeps up to
// OGI_MALLOC_CACHE_CLASS_LIMIT blocks of each size class up to OGI_MALLOC_CACHE_LARGEST_CHUNK bytes (and
// OGI_MALLOC_CACHE_BYTE_LIMIT bytes a thread at most) and hands them out again before glibc is asked.
//
// Every cached block is a glibc block as glibc made it: its chunk header (the size word before the block) is never
// written, so the size class is read from it, and a block handed out again is the same glibc block with the same
// usable size, which glibc's `free`, `realloc` and `malloc_usable_size` accept wherever it goes. Blocks are cached
// only while the process's `malloc` and `free` are glibc's own (not mimalloc linked in, a preloaded allocator,
// valgrind's or a sanitizer's) and OGILINT_MALLOC_CACHE=0 is not set. As glibc's own cache, a block's link to the
// next is stored masked with its address (so a stray write of a pointer does not become an allocation elsewhere),
// a block taken out must be aligned, and a block freed twice is found and stops the program.
//
// The release `ogilint` routes its own calls to `malloc` and `free` here with the linker's `--wrap` (Package.swift):
// the Swift runtime's, Foundation's and libxml2's, all linked into the program. The C library's own calls and
// those of shared libraries still go to glibc directly; a block may be freed either way.
#define _GNU_SOURCE 1
#include "ogi_malloc_cache.h"

#if defined(__linux__) && defined(__GLIBC__)

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#ifdef OGILINT_WRAP_MALLOC
void *__real_malloc(size_t size);
void __real_free(void *block);
#define REAL_MALLOC __real_malloc
#define REAL_FREE __real_free
#else
#define REAL_MALLOC malloc
#define REAL_FREE free
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define OGI_UNDER_SANITIZER 1
#endif
#endif

// glibc's chunk layout (64-bit and 32-bit): the size word sits just before the block; its low bits are flags
// (1 previous chunk in use, 2 mapped with mmap, 4 not the main arena). A request of n bytes gets a chunk of
// max(MIN_CHUNK, n + SIZE_SZ rounded up to ALIGN).
#define SIZE_SZ (sizeof(size_t))
#define ALIGN (2 * SIZE_SZ < 16 ? 16 : 2 * SIZE_SZ)
#define MIN_CHUNK (4 * SIZE_SZ)
#define IS_MMAPPED ((size_t)2)
#define FLAG_BITS ((size_t)7)
#define CLASSES ((OGI_MALLOC_CACHE_LARGEST_CHUNK - MIN_CHUNK) / ALIGN + 1)
// The largest request whose chunk is cached.
#define LARGEST_REQUEST (OGI_MALLOC_CACHE_LARGEST_CHUNK - SIZE_SZ)

/// A cached block: its masked link to the next block of its class, and the process's key marking it cached.
typedef struct block {
    uintptr_t next;
    uintptr_t key;
} block;

enum { STATE_NEW = 0, STATE_OPEN = 1, STATE_CLOSED = 2 };

/// One thread's cache: a list of blocks per size class.
typedef struct {
    block *head[CLASSES];
    uint16_t count[CLASSES];
    size_t bytes;
    int state;
} thread_cache;

static __thread thread_cache cache __attribute__((tls_model("initial-exec")));

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static int enabled;
static uintptr_t cached_key;
static uint64_t flushed;

static inline size_t chunk_size(size_t request) {
    size_t c = (request + SIZE_SZ + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return c < MIN_CHUNK ? MIN_CHUNK : c;
}

static inline size_t class_of(size_t chunk) { return (chunk - MIN_CHUNK) / ALIGN; }

static inline uintptr_t mask(const void *at, const block *next) { return ((uintptr_t)at >> 12) ^ (uintptr_t)next; }

static inline block *unmask(const uintptr_t *at) { return (block *)(((uintptr_t)at >> 12) ^ *at); }

__attribute__((noreturn, cold)) static void stop(const char *why) {
    (void)!write(2, why, strlen(why));
    abort();
}

/// At a thread's end: every cached block back to the allocator; the thread caches nothing more.
static void close_cache(void *arg) {
    thread_cache *c = arg;
    c->state = STATE_CLOSED;
    uint64_t n = 0;
    for (size_t k = 0; k < CLASSES; k++) {
        block *b = c->head[k];
        while (b) {
            block *next = unmask(&b->next);
            b->key = 0;
            REAL_FREE(b);
            b = next;
            n++;
        }
        c->head[k] = NULL;
        c->count[k] = 0;
    }
    c->bytes = 0;
    __atomic_fetch_add(&flushed, n, __ATOMIC_RELAXED);
}

/// True when the process's `malloc` and `free` are glibc's: the names resolve to the same functions as glibc's
/// `__libc_malloc` and `__libc_free`, as they do only when no other allocator comes first, and a block's usable size
/// is its glibc chunk's (41 bytes asked, 56 usable on 64-bit). The second test catches an allocator that takes
/// glibc's functions over where they are (valgrind's memcheck), which reports the size asked for; mimalloc and
/// jemalloc round 41 to 48.
static int allocator_is_glibc(void) {
#ifdef OGI_UNDER_SANITIZER
    return 0;
#else
    void *m = dlsym(RTLD_DEFAULT, "malloc"), *lm = dlsym(RTLD_DEFAULT, "__libc_malloc");
    void *f = dlsym(RTLD_DEFAULT, "free"), *lf = dlsym(RTLD_DEFAULT, "__libc_free");
    if (m == NULL || m != lm || f == NULL || f != lf) { return 0; }
    void *probe = REAL_MALLOC(41);
    if (probe == NULL) { return 0; }
    size_t usable = malloc_usable_size(probe);
    REAL_FREE(probe);
    return usable == chunk_size(41) - SIZE_SZ;
#endif
}

static void set_up(void) {
    const char *choice = getenv("OGILINT_MALLOC_CACHE");
    if (choice != NULL && strcmp(choice, "0") == 0) { return; }
    if (!allocator_is_glibc()) { return; }
    if (pthread_key_create(&exit_key, close_cache) != 0) { return; }
    uintptr_t key = 0;
    if (getrandom(&key, sizeof key, GRND_NONBLOCK) != (ssize_t)sizeof key) {
        key = (uintptr_t)&cache ^ (uintptr_t)0x9e3779b97f4a7c15ULL;
    }
    cached_key = key | 1;
    enabled = 1;
}

/// Opens the calling thread's cache (registering its end); false when blocks are not to be cached.
static int open_cache(thread_cache *c) {
    if (c->state != STATE_NEW) { return 0; }
    pthread_once(&once, set_up);
    if (!enabled || pthread_setspecific(exit_key, c) != 0) {
        c->state = STATE_CLOSED;
        return 0;
    }
    c->state = STATE_OPEN;
    return 1;
}

static inline void push(thread_cache *c, size_t k, block *b, size_t chunk) {
    b->next = mask(&b->next, c->head[k]);
    b->key = cached_key;
    c->head[k] = b;
    c->count[k]++;
    c->bytes += chunk;
}

/// True when `b` is in class `k` of the cache.
static int class_holds(const thread_cache *c, size_t k, const void *b) {
    for (const block *x = c->head[k]; x != NULL; x = unmask(&x->next)) {
        if (x == b) { return 1; }
    }
    return 0;
}

/// `push` after the double-free check, off the fast path: for a block marked cached (or whose contents only look
/// so).
__attribute__((noinline)) static void push_checked(thread_cache *c, size_t k, block *b, size_t chunk) {
    if (class_holds(c, k, b)) { stop("ogilint: free(): double free detected\n"); }
    push(c, k, b, chunk);
}

/// `free` for a thread whose cache is not open yet, or closed.
__attribute__((noinline)) static void free_unopened(void *p);

static inline void *cache_alloc(size_t size) {
    if (size <= LARGEST_REQUEST) {
        thread_cache *c = &cache;
        size_t k = class_of(chunk_size(size));
        block *b = c->head[k];
        if (b != NULL) {
            if (((uintptr_t)b & (ALIGN - 1)) != 0) { stop("ogilint: malloc(): corrupted block cache\n"); }
            c->head[k] = unmask(&b->next);
            c->count[k]--;
            c->bytes -= MIN_CHUNK + k * ALIGN;
            b->key = 0;
            return b;
        }
    }
    return REAL_MALLOC(size);
}

static inline void cache_free(void *p) {
    thread_cache *c = &cache;
    if (__builtin_expect(c->state != STATE_OPEN, 0)) {
        free_unopened(p);
        return;
    }
    if (p == NULL) { return; }
    size_t word = ((const size_t *)p)[-1];
    size_t chunk = word & ~FLAG_BITS;
    // Mapped chunks, sizes out of range and misaligned blocks go to glibc, which frees or refuses them.
    if ((word & IS_MMAPPED) == 0 && chunk >= MIN_CHUNK && chunk <= OGI_MALLOC_CACHE_LARGEST_CHUNK
        && ((chunk | (uintptr_t)p) & (ALIGN - 1)) == 0) {
        size_t k = class_of(chunk);
        if (c->count[k] < OGI_MALLOC_CACHE_CLASS_LIMIT && c->bytes + chunk <= OGI_MALLOC_CACHE_BYTE_LIMIT) {
            block *b = p;
            if (__builtin_expect(b->key == cached_key, 0)) {
                push_checked(c, k, b, chunk);
            } else {
                push(c, k, b, chunk);
            }
            return;
        }
    }
    REAL_FREE(p);
}

static void free_unopened(void *p) {
    if (p != NULL && open_cache(&cache)) {
        cache_free(p);
        return;
    }
    REAL_FREE(p);
}

void *ogi_malloc_cache_alloc(size_t size) { return cache_alloc(size); }

void ogi_malloc_cache_free(void *p) { cache_free(p); }

int ogi_malloc_cache_enabled(void) {
    pthread_once(&once, set_up);
    return enabled;
}

ogi_malloc_cache_stats ogi_malloc_cache_thread_stats(void) {
    ogi_malloc_cache_stats s = {0, cache.bytes};
    for (size_t k = 0; k < CLASSES; k++) { s.blocks += cache.count[k]; }
    return s;
}

size_t ogi_malloc_cache_class_count(size_t size) {
    return size <= LARGEST_REQUEST ? cache.count[class_of(chunk_size(size))] : 0;
}

int ogi_malloc_cache_holds(const void *p) {
    for (size_t k = 0; k < CLASSES; k++) {
        if (class_holds(&cache, k, p)) { return 1; }
    }
    return 0;
}

uint64_t ogi_malloc_cache_flushed_blocks(void) { return __atomic_load_n(&flushed, __ATOMIC_RELAXED); }

#ifdef OGILINT_WRAP_MALLOC
void *__wrap_malloc(size_t size) { return cache_alloc(size); }
void __wrap_free(void *block) { cache_free(block); }
#endif

#else  // not glibc: nothing is cached.

#include <stdlib.h>

void *ogi_malloc_cache_alloc(size_t size) { return malloc(size); }
void ogi_malloc_cache_free(void *block) { free(block); }
int ogi_malloc_cache_enabled(void) { return 0; }
ogi_malloc_cache_stats ogi_malloc_cache_thread_stats(void) {
    ogi_malloc_cache_stats s = {0, 0};
    return s;
}
size_t ogi_malloc_cache_class_count(size_t size) {
    (void)size;
    return 0;
}
int ogi_malloc_cache_holds(const void *block) {
    (void)block;
    return 0;
}
uint64_t ogi_malloc_cache_flushed_blocks(void) { return 0; }

#endif
