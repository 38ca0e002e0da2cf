// swift-tools-version:6.1
//
// fnhost's benchmarks, a package of their own (as Hummingbird keeps its `Benchmarks/`): building or testing the
// product compiles none of this, and only this package needs libcurl (the A/B against the worker's own HTTP client).
//
// Layout:
//   Sources/fnhost-bench          the runner: each figure beside its floor, measured in the same run
//   Sources/fnhost-bench-peer     the floors' peers (framed echo, Hummingbird and NIO hello-worlds)
//   Sources/fnhost-bench-trivial  the smallest Swift process (spawn and memory floors)
//   Sources/CBenchSpawn           posix_spawn, pipe2 and CPU binding, which Swift's Glibc module hides
//   Sources/CCurl                 libcurl's variadic calls as typed wrappers
//   functions/bench-echo          the benchmark function: its manifest, its handler and three builds of it
//                                 (static stdlib, dynamic stdlib, and a libcurl Runtime API client)
//
// `scripts/bench` builds this package in release mode (and fnhost and fnhost-launch from the root package into the
// same folder), then runs the runner with `--functions Benchmarks/functions`.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Linked as fnhost's own workers are (see the root Package.swift): static Swift runtime and Foundation.
let staticWorker: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib"]), .linkedLibrary("_FoundationCollections"), .linkedLibrary("_FoundationCShims"),
]

let package = Package(
    name: "fnhost-benchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fnhost-bench", targets: ["fnhost-bench"])
    ],
    dependencies: [
        .package(name: "fnhost", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "CBenchSpawn", path: "Sources/CBenchSpawn"),
        // Whole-buffer reads and writes on file descriptors, for the runner and its peer.
        .target(name: "BenchIO", swiftSettings: strict),
        // The one libcurl client: the runner's comparison floor and bench-echo-curl's Runtime API client.
        .target(name: "CurlClient", dependencies: ["CCurl"], swiftSettings: strict),

        // MARK: The runner and its peers
        .executableTarget(
            name: "fnhost-bench",
            dependencies: [
                "BenchIO", "CBenchSpawn", "CurlClient",
                .product(name: "FnhostHost", package: "fnhost"),
                .product(name: "FnhostStore", package: "fnhost"),
                .product(name: "FnhostStates", package: "fnhost"),
                .product(name: "FnhostWire", package: "fnhost"),
                .product(name: "LambdaRuntime", package: "fnhost"),
                .product(name: "WorkerCache", package: "fnhost"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Sources/fnhost-bench", swiftSettings: strict
        ),
        .executableTarget(
            name: "fnhost-bench-peer",
            dependencies: [
                "BenchIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/fnhost-bench-peer", swiftSettings: strict
        ),
        .executableTarget(name: "fnhost-bench-trivial", path: "Sources/fnhost-bench-trivial", swiftSettings: strict),

        // MARK: The benchmark function
        .target(
            name: "BenchEchoHandler", dependencies: [.product(name: "LambdaRuntime", package: "fnhost")],
            path: "functions/bench-echo/handler", swiftSettings: strict
        ),
        .executableTarget(
            name: "bench-echo",
            dependencies: ["BenchEchoHandler", .product(name: "LambdaRuntime", package: "fnhost")],
            path: "functions/bench-echo/main", swiftSettings: strict, linkerSettings: staticWorker
        ),
        // The same function linked against the shared Swift runtime, to show what the static link saves.
        .executableTarget(
            name: "bench-echo-dynamic",
            dependencies: ["BenchEchoHandler", .product(name: "LambdaRuntime", package: "fnhost")],
            path: "functions/bench-echo/dynamic", swiftSettings: strict
        ),
        // The same function and the same static link, its Runtime API client libcurl instead of the worker's own:
        // the A/B that justified LambdaRuntime's HTTP client (BENCHMARKS.md, "libcurl A/B").
        .executableTarget(
            name: "bench-echo-curl",
            dependencies: ["BenchEchoHandler", "CurlClient", .product(name: "FnhostWire", package: "fnhost")],
            path: "functions/bench-echo/curl", swiftSettings: strict, linkerSettings: staticWorker
        ),
    ],
    swiftLanguageModes: [.v6]
)
