// swift-tools-version:6.1
// In-process benchmarks for ogilint, kept in their own package so that the main build and `swift test`
// never build ordo-one/benchmark. Run them with scripts/bench-check.sh (or, from this folder,
// `swift package benchmark`).
import PackageDescription

let package = Package(
    name: "ogilint-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ogilint", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "OGILintBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OGILint", package: "ogilint"),
                .product(name: "OGIModel", package: "ogilint"),
                .product(name: "OGIReaders", package: "ogilint"),
                .product(name: "OGIRules", package: "ogilint"),
                .product(name: "OGIOutput", package: "ogilint"),
            ],
            path: "Benchmarks/OGILintBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
