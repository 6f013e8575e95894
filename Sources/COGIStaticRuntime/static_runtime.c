#include "ogilint_static_runtime.h"

#if defined(__linux__)
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

uint32_t ogilint_arc4random(void) {
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
        ssize_t got = read(fd, &value, sizeof value);
        close(fd);
        if (got == (ssize_t)sizeof value) { return value; }
    }
    abort();
}
#endif
