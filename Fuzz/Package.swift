// swift-tools-version:6.0
// libFuzzer targets for ogilint's input parsers, one executable each. Built by scripts/fuzz.sh with
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// (-parse-as-library: the targets have no top-level code; libFuzzer supplies main and calls
// LLVMFuzzerTestOneInput). See Fuzz/README.md.
import PackageDescription

let fuzzTargets = ["fuzz-text", "fuzz-docx", "fuzz-html", "fuzz-model", "fuzz-rulepack", "fuzz-config"]

let package = Package(
    name: "ogilint-fuzz",
    dependencies: [
        .package(name: "ogilint", path: ".."),
        // The version the main package pins; read here only to unpack a sample DOCX once per process.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
    ],
    targets: [
        // What every target shares: the bundled rules loaded once, a sample report, a stored-zip writer.
        .target(name: "FuzzSupport", dependencies: [
            .product(name: "OGILint", package: "ogilint"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ] + fuzzTargets.map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "OGILint", package: "ogilint")])
    }
)
