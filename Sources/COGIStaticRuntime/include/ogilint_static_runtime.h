#ifndef OGILINT_STATIC_RUNTIME_H
#define OGILINT_STATIC_RUNTIME_H

#include <stdint.h>

/// What `arc4random` resolves to in the `ogilint` program when libstdc++ is linked statically (Package.swift,
/// StaticCxxRuntime): 32 random bits from the kernel (Linux only). glibc has `arc4random` only from 2.36; the
/// program needs 2.35.
uint32_t ogilint_arc4random(void);

#endif
