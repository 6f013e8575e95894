// swift-tools-version:6.0
import PackageDescription

/// Compiler settings for ogilint's own targets. `-disable-concrete-type-metadata-mangled-name-accessors`: the
/// metadata of a generic type at concrete arguments (`Dictionary<NumberingStyle, Int>`, `Set<String>`,
/// `SharedCache<SumPlanKey, SumPlan>`) is fetched by an accessor that passes the witness tables itself, instead of
/// by mangled name, which makes the runtime check every `Hashable`/`Sendable` requirement by scanning all
/// protocol conformance records of the process (~0.5 M instructions each first time; ~10 M of a single run).
let ogilintSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])
]

/// Linker settings of the programs. `--no-export-dynamic` undoes the `--export-dynamic` SwiftPM links executables
/// with on Linux: nothing loads the program as a library, and with it every public symbol of every module (about
/// 6,000) lands in the dynamic symbol table, which the runtime's start-up (`dladdr` in the backtracer's set-up)
/// and the dynamic loader walk on every run.
let ogilintProgramLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))
]

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
                "OGILint", "OGIOutput", "OGICommandLine", "OGIReaders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: ogilintSwiftSettings, linkerSettings: ogilintProgramLinkerSettings),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)
