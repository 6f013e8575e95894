// `arc4random` for the `ogilint` program when it links libstdc++ statically (Package.swift, StaticCxxRuntime):
// libstdc++.a refers to it (std::random_device, which nothing here uses) and glibc has it only from 2.36, while
// the program needs 2.35. Hidden: it answers that reference inside the program and is not exported, so no shared
// library sees it in place of glibc's. No header here declares `arc4random` (stdlib.h would, from glibc 2.36).
#if defined(__linux__)
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <unistd.h>

extern void abort(void) __attribute__((noreturn));

__attribute__((visibility("hidden"))) uint32_t arc4random(void) {
    uint32_t value = 0;
    // getrandom (glibc 2.25, Linux 3.17) fills 4 bytes in one call; it blocks until the kernel's pool is ready,
    // and a signal may interrupt it. Like glibc's arc4random, it never returns without randomness.
    for (;;) {
        ssize_t got = getrandom(&value, sizeof value, 0);
        if (got == (ssize_t)sizeof value) { return value; }
        if (got < 0 && errno == EINTR) { continue; }
        break;
    }
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t got;
        do { got = read(fd, &value, sizeof value); } while (got < 0 && errno == EINTR);
        close(fd);
        if (got == (ssize_t)sizeof value) { return value; }
    }
    abort();
}
#endif
