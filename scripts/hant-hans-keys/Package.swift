// swift-tools-version:6.0
// Writes Sources/OGIReaders/HantHansRules.swift: the rules of ICU's Hant-Hans transform, read from the ICU inside
// this toolchain's Foundation. Run it when the toolchain changes (the test
// `SimplificationKeysTests` fails then): scripts/hant-hans-keys/generate.sh
import PackageDescription

let package = Package(
    name: "hant-hans-keys",
    targets: [
        .executableTarget(
            name: "hant-hans-keys", path: ".", exclude: ["generate.sh"], sources: ["main.swift"],
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))])
    ]
)
