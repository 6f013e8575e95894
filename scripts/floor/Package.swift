// swift-tools-version:6.0
// The floor: the least a Swift command-line tool like ogilint can cost per run. scripts/bench.sh builds it
// (release, static Swift runtime, like ogilint) and reports ogilint's times as multiples of it.
import PackageDescription

let package = Package(
    name: "floor",
    dependencies: [
        // The same YAML library, at the same version, as ogilint (libyaml inside Yams).
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
    ],
    targets: [
        .executableTarget(name: "floor", dependencies: [.product(name: "Yams", package: "Yams")], path: ".", sources: ["floor.swift"]),
    ]
)
