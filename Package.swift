// swift-tools-version:6.0
import PackageDescription

#if os(Linux)
    import Foundation
#endif

/// Compiler settings for ogilint's own targets. `-disable-concrete-type-metadata-mangled-name-accessors`: the
/// metadata of a generic type at concrete arguments (`Dictionary<NumberingStyle, Int>`, `Set<String>`,
/// `SharedCache<SumPlanKey, SumPlan>`) is fetched by an accessor that passes the witness tables itself, instead of
/// by mangled name, which makes the runtime check every `Hashable`/`Sendable` requirement by scanning all
/// protocol conformance records of the process (~0.5 M instructions each first time; ~10 M of a single run).
///
/// `-enforce-exclusivity=unchecked` in release builds: no run-time check that two accesses to a class's property, a
/// global or a captured variable do not overlap (`swift_beginAccess` and `swift_endAccess` around each, about 1% of a
/// batch's instructions). The compile-time checks stay, and debug builds (the tests, the thread sanitizer) keep the
/// run-time ones, so an overlap the tests reach still traps there.
let ogilintSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The `ogilint` program's release build on Linux is linked at a fixed address (`-no-pie`), not as a position-
/// independent executable. A PIE is placed at a random address, so before `main` the dynamic loader rewrites every
/// absolute pointer in the program's data: about 87,000 relocations in 270 pages of the Swift runtime's, Foundation's
/// and ICU's metadata (ogilint's own modules hold a few dozen of those pages), each page a copy-on-write fault, about
/// 1 M instructions and 0.35 ms of faults every run. At a fixed address there is nothing to rewrite. What is given up
/// is the random placement of the program's own code and data (README, "Fixed address"); in exchange the program's
/// function pointers to shared libraries are bound at start and made read-only (`-z now`, full RELRO: 0.4 M
/// instructions). `OGILINT_PIE=1` in the environment of `swift build` links a PIE as before (SwiftPM reads the
/// manifest again when it changes). Only this program: `ogilint-server`, which listens on a network, stays a PIE, and
/// debug builds (tests, the thread sanitizer) are unchanged.
let fixedAddressLinkerSettings: [LinkerSetting] = {
    #if os(Linux)
        if let pie = ProcessInfo.processInfo.environment["OGILINT_PIE"], !pie.isEmpty, pie != "0" { return [] }
        return [
            .unsafeFlags(
                ["-Xclang-linker", "-no-pie", "-Xlinker", "-z", "-Xlinker", "now"], .when(platforms: [.linux], configuration: .release))
        ]
    #else
        return []
    #endif
}()

/// Linker settings of the programs. `--no-export-dynamic` undoes the `--export-dynamic` SwiftPM links executables
/// with on Linux: nothing loads the program as a library, and with it every public symbol of every module (about
/// 6,000) lands in the dynamic symbol table, which the runtime's start-up (`dladdr` in the backtracer's set-up)
/// and the dynamic loader walk on every run.
let ogilintProgramLinkerSettings: [LinkerSetting] =
    [
        .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))
    ] + fixedAddressLinkerSettings

/// libxml2's static archive, linked into the `ogilint` program's release build on Linux (Sources/CLibXML2Linked), so
/// that reading HTML does not load libxml2, ICU and liblzma at run time. Found in the system's library folders
/// (Debian: libxml2-dev); used only when every ICU name the archive refers to is one of the converter functions
/// CLibXML2Linked answers in ICU's stead, and liblzma's archive is there when libxml2 needs it. Otherwise (another
/// libxml2, macOS) nothing changes: the program loads libxml2 with dlopen when a file first needs it.
struct LinkedLibXML2 {
    /// The archives to link: libxml2's, then liblzma's when it needs it.
    var archives: [String]
    /// The suffix ICU's names carry in the archive ("_72"), nil when it refers to no ICU name.
    var icuSuffix: String?

    /// The ICU names CLibXML2Linked answers, without their version suffix.
    static let answeredICUNames: Set<String> = [
        "ucnv_open", "ucnv_close", "ucnv_setToUCallBack", "ucnv_setFromUCallBack", "ucnv_convertEx",
        "UCNV_TO_U_CALLBACK_STOP", "UCNV_FROM_U_CALLBACK_STOP",
    ]

    static func find() -> LinkedLibXML2? {
        #if os(Linux)
            for folder in ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"] {
                guard let archive = FileManager.default.contents(atPath: folder + "/libxml2.a") else { continue }
                var linked = LinkedLibXML2(archives: [folder + "/libxml2.a"], icuSuffix: nil)
                if archive.range(of: Data("lzma_code\0".utf8)) != nil {
                    guard FileManager.default.fileExists(atPath: folder + "/liblzma.a") else { return nil }
                    linked.archives.append(folder + "/liblzma.a")
                }
                // ICU's C names in the archive's string tables: "ucnv_open_72\0" and the like.
                let bytes = [UInt8](archive)
                let suffix = Array("ucnv_open".utf8)
                var i = 0
                while i + suffix.count < bytes.count {
                    if bytes[i] == suffix[0], bytes[i..<(i + suffix.count)].elementsEqual(suffix) {
                        var j = i + suffix.count
                        while j < bytes.count, bytes[j] == UInt8(ascii: "_") || (bytes[j] >= 0x30 && bytes[j] <= 0x39) { j += 1 }
                        if j < bytes.count, bytes[j] == 0 {
                            linked.icuSuffix = String(decoding: bytes[(i + suffix.count)..<j], as: UTF8.self)
                            break
                        }
                    }
                    i += 1
                }
                if let icu = linked.icuSuffix {
                    // Every name of ICU's API the archive holds (ucnv_…, UCNV_…, u_…, with the suffix) must be answered.
                    let tail = Array((icu + "\0").utf8)
                    var names = Set<String>()
                    var start = 0
                    for k in 0..<bytes.count where bytes[k] == 0 {
                        let name = bytes[start..<k]
                        start = k + 1
                        guard name.count > tail.count - 1,
                            name.starts(with: Array("ucnv_".utf8)) || name.starts(with: Array("UCNV_".utf8))
                                || name.starts(with: Array("u_".utf8)) || name.starts(with: Array("ubrk_".utf8)),
                            bytes[(k - (tail.count - 1))..<k].elementsEqual(tail.dropLast())
                        else { continue }
                        names.insert(String(decoding: name.dropLast(tail.count - 1), as: UTF8.self))
                    }
                    guard names.isSubset(of: answeredICUNames) else { return nil }
                }
                return linked
            }
        #endif
        return nil
    }
}
let linkedLibXML2 = LinkedLibXML2.find()

/// The `ogilint` program's own C target and linker flags for `linkedLibXML2` (none when it is nil).
let linkedLibXML2Targets: [Target] =
    linkedLibXML2.map { linked in
        [
            .target(
                name: "CLibXML2Linked",
                cSettings: [
                    .unsafeFlags(["-I/usr/include/libxml2", "-I/usr/local/include/libxml2"]),
                    .define("OGILINT_LINK_LIBXML2", .when(configuration: .release)),
                ] + (linked.icuSuffix.map { [.define("OGILINT_ICU_SUFFIX", to: $0)] } ?? []))
        ]
    } ?? []
let linkedLibXML2Dependencies: [Target.Dependency] = linkedLibXML2 == nil ? [] : ["CLibXML2Linked"]
/// HTML parse errors, which ogilint does not read, are dropped before libxml2 formats them (libxml2_linked.c has the
/// wrapper, in assembly for these two architectures).
#if arch(x86_64) || arch(arm64)
    let wrapRaiseError = ["-Xlinker", "--wrap=__xmlRaiseError"]
#else
    let wrapRaiseError: [String] = []
#endif
let linkedLibXML2LinkerSettings: [LinkerSetting] =
    linkedLibXML2.map { linked in
        [.unsafeFlags(linked.archives.flatMap { ["-Xlinker", $0] } + wrapRaiseError, .when(platforms: [.linux], configuration: .release))]
    } ?? []

/// The C++ runtime (libstdc++), linked statically into the `ogilint` program's release build on Linux, so that a
/// check does not load libstdc++.so: mapping it and resolving its own symbol relocations (about 1,800 symbol
/// look-ups) were a third of the dynamic loader's work, about 1.9 M instructions and a millisecond of system time
/// every run. The Swift runtime and Foundation's ICU are C++ and need it either way; libgcc_s stays shared.
/// `Sources/COGIStaticRuntime/link/libstdc++.so` is a linker script naming `libstdc++.a`: the link finds it before
/// the compiler's GCC folder (which holds the real libstdc++.so), since the folders searched before it hold no
/// `libstdc++.so` (checked below), and then finds the archive in the GCC folder. Only the `-lstdc++` of a link with
/// the static Swift runtime meets the script; a link without one (the shared runtime) is unchanged. libstdc++.a
/// refers to `arc4random` (for std::random_device, which nothing here uses), which glibc has only from 2.36:
/// COGIStaticRuntime defines a hidden one on getrandom, so the program still needs only glibc 2.35. Used only when
/// the GCC folder clang links with (the highest version holding crtbegin.o) has libstdc++.a; otherwise nothing
/// changes. The manifest's answer is cached by SwiftPM for the user, not in the build folder: installing libstdc++'s
/// archive later needs SwiftPM's manifest cache removed (`~/.cache/org.swift.swiftpm/manifests`; `swift package
/// reset` alone keeps the old answer), or a change to this file or to `OGILINT_MALLOC`.
enum StaticCxxRuntime {
    static func available() -> Bool {
        #if os(Linux)
            #if arch(x86_64)
                let triple = "x86_64-linux-gnu"
            #elseif arch(arm64)
                let triple = "aarch64-linux-gnu"
            #else
                return false
            #endif
            let files = FileManager.default
            // A libstdc++.so in the system's library folders would be found before the script.
            for folder in ["/usr/lib/\(triple)", "/lib/\(triple)", "/usr/lib", "/lib"]
            where files.fileExists(atPath: folder + "/libstdc++.so") {
                return false
            }
            let root = "/usr/lib/gcc/\(triple)"
            guard let versions = try? files.contentsOfDirectory(atPath: root) else { return false }
            let installed = versions.filter { files.fileExists(atPath: "\(root)/\($0)/crtbegin.o") }
            // Highest version first, compared number by number ("12" > "9", "12.2" > "12").
            let parts = { (v: String) in v.split(separator: ".").map { Int($0) ?? 0 } }
            guard let chosen = installed.max(by: { parts($0).lexicographicallyPrecedes(parts($1)) }) else { return false }
            return files.fileExists(atPath: "\(root)/\(chosen)/libstdc++.a")
        #else
            return false
        #endif
    }
}
let staticCxxRuntime = StaticCxxRuntime.available()
let staticCxxRuntimeDependencies: [Target.Dependency] = staticCxxRuntime ? ["COGIStaticRuntime"] : []
let staticCxxRuntimeLinkerSettings: [LinkerSetting] =
    staticCxxRuntime
    ? [
        .unsafeFlags(
            ["-L", Context.packageDirectory + "/Sources/COGIStaticRuntime/link"], .when(platforms: [.linux], configuration: .release))
    ]
    : []

/// mimalloc (Debian: libmimalloc-dev) as the allocator of the `ogilint` program's release build on Linux, where the
/// system has it. A batch makes about 2,400 allocations a report, each freed later, often on another thread; glibc's
/// malloc and free (most of them past its per-thread cache of seven blocks a size) were about 7% of a batch's
/// instructions. With mimalloc a batch of text reports takes about 6% fewer instructions and 6–10% less processor
/// time; a single check runs fewer instructions but touches about 100 more pages, so it is no faster and may be a
/// little slower (docs/speed-history.md, "Twenty-seventh pass"). Debian ships mimalloc as a shared
/// library only: it is linked by name, ahead of glibc, so every `malloc` and `free` of the process, glibc's own and
/// the Swift runtime's included, is mimalloc's (the same block is never handed between the two allocators).
/// `OGILINT_MALLOC=system` in the environment of `swift build` keeps glibc's allocator (SwiftPM reads the manifest
/// again when it changes); scripts/release.sh does, so the archive still needs only glibc, libgcc_s and zlib.
/// Debug builds (the tests, the thread sanitizer) and `ogilint-server` keep glibc's.
/// Looked for in this machine's own library folder (not another architecture's, as a multiarch system may have),
/// `/usr/lib64` and `/usr/lib`; scripts/release.sh and scripts/ci-release-check.sh look in the same ones. The answer
/// is cached with the manifest, as `StaticCxxRuntime`'s, for the user: after installing or removing libmimalloc-dev,
/// removing SwiftPM's manifest cache (`~/.cache/org.swift.swiftpm/manifests`), a change to this file or a build with
/// another `OGILINT_MALLOC` value (any but `system` looks for it) makes SwiftPM ask again; `swift package reset` and a
/// new build folder do not. scripts/bench.sh prints which allocator the measured binary loads.
enum SystemMimalloc {
    static func available() -> Bool {
        #if os(Linux)
            if let choice = ProcessInfo.processInfo.environment["OGILINT_MALLOC"], choice == "system" { return false }
            #if arch(x86_64)
                let folders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"]
            #elseif arch(arm64)
                let folders = ["/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
            #else
                let folders = ["/usr/lib64", "/usr/lib"]
            #endif
            return folders.contains { FileManager.default.fileExists(atPath: $0 + "/libmimalloc.so") }
        #else
            return false
        #endif
    }
}
let mimallocLinkerSettings: [LinkerSetting] =
    SystemMimalloc.available() ? [.linkedLibrary("mimalloc", .when(platforms: [.linux], configuration: .release))] : []

/// The block cache in front of glibc's allocator (Sources/COGIMallocCache): the release `ogilint` routes its own
/// `malloc` and `free` calls (the Swift runtime's, Foundation's, libxml2's, all linked into the program) to it with
/// the linker's `--wrap`. Not with mimalloc, which has per-thread free lists of its own; the cache also checks at run
/// time that glibc's allocator is the one in use.
let mallocCacheWrapped = !SystemMimalloc.available()
let mallocCacheCSettings: [CSetting] =
    mallocCacheWrapped ? [.define("OGILINT_WRAP_MALLOC", .when(platforms: [.linux], configuration: .release))] : []
let mallocCacheLinkerSettings: [LinkerSetting] =
    mallocCacheWrapped
    ? [.unsafeFlags(["-Xlinker", "--wrap=malloc", "-Xlinker", "--wrap=free"], .when(platforms: [.linux], configuration: .release))]
    : []

let package = Package(
    name: "ogilint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ogilint", targets: ["ogilint"]),
        // `ogilint serve`'s web server, a program of its own so that `ogilint` does not link SwiftNIO and
        // Hummingbird: `swift build --product ogilint` compiles none of them, and a check loads none of them.
        .executable(name: "ogilint-server", targets: ["OGIServerCommand"]),
        .library(name: "OGILint", targets: ["OGILint"]),
        // The layers as libraries, so the benchmark package (Benchmarks/) can measure each on its own.
        .library(name: "OGIModel", targets: ["OGIModel"]),
        .library(name: "OGIReaders", targets: ["OGIReaders"]),
        .library(name: "OGIRules", targets: ["OGIRules"]),
        .library(name: "OGIOutput", targets: ["OGIOutput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    ],
    targets: [
        // The report model: metadata, parts, tables of cells, findings. No dependencies.
        .target(name: "OGIModel", swiftSettings: ogilintSwiftSettings),
        // libxml2's functions, loaded with dlopen when a DOCX or HTML file first needs them, so that no other check
        // loads libxml2 (and ICU, liblzma behind it); linked in instead when built with -Xcc -DOGILINT_LIBXML2_LINKED,
        // as scripts/release.sh does. Only this C target sees libxml2's headers (Debian package libxml2-dev), found
        // by the path below rather than by pkg-config, whose libxml-2.0 would also link libxml2 into every program.
        .target(
            name: "CLibXML2Loader",
            cSettings: [
                .unsafeFlags(["-I/usr/include/libxml2", "-I/usr/local/include/libxml2"], .when(platforms: [.linux])),
                .unsafeFlags(["-iwithsysroot", "/usr/include/libxml2"], .when(platforms: [.macOS])),
            ],
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // A per-thread cache of small freed blocks in front of glibc's allocator, for the `ogilint` program.
        .target(name: "COGIMallocCache", cSettings: mallocCacheCSettings),
        // What the `ogilint` program links with when it links the C++ runtime statically (see StaticCxxRuntime).
        .target(name: "COGIStaticRuntime", exclude: ["link"]),
        // zlib from the system, which the DOCX reader inflates parts with.
        .systemLibrary(name: "COGIZlib", path: "Sources/COGIZlib", providers: [.apt(["zlib1g-dev"])]),
        // The zip CRC-32 the DOCX reader checks each inflated part with: carry-less multiplication on x86_64 CPUs
        // that have it, zlib's crc32 elsewhere.
        .target(name: "COGICRC32", dependencies: ["COGIZlib"]),
        // libxml2's headers through pkg-config, for the tests' reference readers, which call libxml2 directly.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Readers: plain text, DOCX, HTML, PDF (through pdftotext) and submitted YAML/JSON models, all producing a Report.
        .target(
            name: "OGIReaders",
            dependencies: [
                "OGIModel", "COGIZlib", "COGICRC32", "CLibXML2Loader",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ], swiftSettings: ogilintSwiftSettings),
        // Rule packs and templates as YAML, the expression language and the evaluation engine.
        .target(
            name: "OGIRules", dependencies: ["OGIModel", "OGIAnalysis", .product(name: "Yams", package: "Yams")],
            swiftSettings: ogilintSwiftSettings),
        // Pure analysis algorithms the rule kinds call: cell repair, prose facts, text overlap, editorial slips.
        .target(name: "OGIAnalysis", dependencies: ["OGIModel"], swiftSettings: ogilintSwiftSettings),
        // The pipeline a CLI or a test calls: load packs, read files, check, stream results in input order.
        .target(name: "OGILint", dependencies: ["OGIModel", "OGIReaders", "OGIRules"], swiftSettings: ogilintSwiftSettings),
        // Output formats (one protocol, one file each, one registry), output files, the model writer.
        .target(
            name: "OGIOutput", dependencies: ["OGIModel", "OGIRules", "OGILint", .product(name: "Yams", package: "Yams")],
            swiftSettings: ogilintSwiftSettings),
        // The reviewer's web page and HTTP API (`ogilint serve`), on Hummingbird 2.
        .target(
            name: "OGIServer",
            dependencies: [
                "OGILint", "OGIModel", "OGIRules", "OGIOutput", "OGIReaders",
                .product(name: "Hummingbird", package: "hummingbird"),
            ], resources: [.embedInCode("Assets/index.html"), .embedInCode("Assets/app.css"), .embedInCode("Assets/app.js")],
            swiftSettings: ogilintSwiftSettings),
        // Options and argument types shared by the two programs below.
        .target(
            name: "OGICommandLine",
            dependencies: [
                "OGILint", "OGIModel", "OGIReaders", "OGIRules", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: ogilintSwiftSettings),
        // The thin command-line front end; `ogilint serve` starts the program `ogilint-server` beside it.
        .executableTarget(
            name: "ogilint",
            dependencies: [
                "OGILint", "OGIOutput", "OGICommandLine", "OGIReaders", "COGIMallocCache",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + linkedLibXML2Dependencies + staticCxxRuntimeDependencies, swiftSettings: ogilintSwiftSettings,
            linkerSettings: ogilintProgramLinkerSettings + linkedLibXML2LinkerSettings + staticCxxRuntimeLinkerSettings
                + mimallocLinkerSettings + mallocCacheLinkerSettings),
        // The program `ogilint-server`: `ogilint serve`'s options, and the server they start.
        .executableTarget(
            name: "OGIServerCommand",
            dependencies: [
                "OGIServer", "OGILint", "OGICommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: ogilintSwiftSettings),
        // Shared test fixtures: repository paths, one loaded linter, golden-file comparison.
        .target(name: "OGITestSupport", dependencies: ["OGILint", "OGIModel", "OGIOutput", "OGIRules"], path: "Tests/OGITestSupport"),
        // One test target per library module.
        .testTarget(name: "OGIModelTests", dependencies: ["OGIModel", "OGITestSupport"]),
        // The ICU inside Foundation, linked for `SimplificationKeysTests` to read the Hant-Hans rules from it.
        .testTarget(
            name: "OGIReadersTests",
            dependencies: ["OGIReaders", "OGILint", "OGIModel", "OGITestSupport", "CLibXML2", "COGICRC32", "COGIZlib"],
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]),
        .testTarget(name: "OGIAnalysisTests", dependencies: ["OGIAnalysis", "OGIModel", "OGITestSupport"]),
        .testTarget(
            name: "OGIRulesTests",
            dependencies: ["OGIRules", "OGILint", "OGIModel", "OGITestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "OGIOutputTests", dependencies: ["OGIOutput", "OGILint", "OGIModel", "OGIReaders", "OGITestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "OGIServerTests",
            dependencies: [
                "OGIServer", "OGILint", "OGIOutput", "OGITestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        // Also the command-line front end, for its hand argument parser (`StartupFastPathTests`).
        .testTarget(
            name: "OGILintTests",
            dependencies: [
                "OGILint", "OGIModel", "OGIReaders", "OGIRules", "OGIOutput", "OGITestSupport", "ogilint", "OGICommandLine",
                "COGIMallocCache", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["Golden"], linkerSettings: mallocCacheLinkerSettings),
    ] + linkedLibXML2Targets
)
