#ifndef OGILINT_STATIC_RUNTIME_H
#define OGILINT_STATIC_RUNTIME_H

// COGIStaticRuntime declares nothing for other code to call: it holds the `arc4random` that libstdc++.a refers
// to when the `ogilint` program links it statically (static_runtime.c), and the linker script that makes the
// link take libstdc++.a (link/libstdc++.so). See Package.swift, StaticCxxRuntime.

#endif
