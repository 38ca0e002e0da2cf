// swift-tools-version:6.1
//
// fnhost's fuzzers, kept out of the product's package as its benchmarks are: `scripts/fuzz` builds this package
// with `swift build --sanitize fuzzer --sanitize address` and runs each target of `FuzzTarget` for a while.
// The targets themselves (parsers and invariants) live in the product's package (`Tests/FuzzTargets`), so that the
// ordinary test suite replays the corpus and every crash ever found (`FuzzRegressionTests`).
import PackageDescription

let package = Package(
    name: "fnhost-fuzz",
    dependencies: [.package(name: "fnhost", path: "../..")],
    targets: [
        .executableTarget(
            name: "fnhost-fuzz",
            dependencies: [.product(name: "FuzzTargets", package: "fnhost")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ],
    swiftLanguageModes: [.v6]
)
