// swift-tools-version:6.1
//
// fnhost: a local function-as-a-service runtime that reproduces AWS Lambda's execution model
// (cold and warm workers, per-worker memory, the Runtime API) on one machine, without Docker.
//
// Linux only: the host reads /proc and asks the kernel through netlink (NETLINK_SOCK_DIAG) which process holds a
// socket, and its launcher uses prctl(PR_SET_PDEATHSIG). SwiftPM cannot declare Linux as a platform (`platforms`
// lists only Apple's), so `platforms` is left out and any other system stops at the `#error` below.
//
// Layout:
//   Sources/   the host (wire formats, manifests, pool, simulation, host) and the `fnhost` command
//   runtime/   what runs inside a worker: the Runtime API client, the handler API, the cache tiers
//   functions/ one folder per function: manifest, code, data
import PackageDescription

#if !os(Linux)
#error("fnhost runs on Linux only: it reads /proc and uses netlink (sock_diag) and prctl.")
#endif

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Workers link the Swift runtime and Foundation statically: ld.so then has no libswiftCore, libswift_Concurrency,
/// libFoundationEssentials… to map and relocate at every cold start, and their pages do not count in every idle
/// worker's resident size (issue 6: spawn to main() 6.3 → 3.1 ms, idle VmRSS 12.7 → 9.7 MB). FoundationEssentials'
/// static archive needs its two helper archives named, or the link fails; it prints one harmless warning ("the use
/// of `mktemp' is dangerous") that comes from FoundationEssentials itself.
let staticWorker: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib"]), .linkedLibrary("_FoundationCollections"), .linkedLibrary("_FoundationCShims"),
]

let package = Package(
    name: "fnhost",
    products: [
        .executable(name: "fnhost", targets: ["fnhost"]),
        .executable(name: "fnhost-launch", targets: ["fnhost-launch"]),
        .executable(name: "org-status", targets: ["org-status"]),
        .executable(name: "rules", targets: ["rules"]),
        .executable(name: "coverage", targets: ["coverage"]),
        .executable(name: "eligibility", targets: ["eligibility"]),
        .executable(name: "request-log", targets: ["request-log"]),
        .executable(name: "poison-consumer", targets: ["poison-consumer"]),
        .executable(name: "hello-c", targets: ["hello-c"]),
        .library(name: "LambdaRuntime", targets: ["LambdaRuntime"]),
        .library(name: "FnhostHost", targets: ["FnhostHost"]),
        // For the packages beside this one that depend on it by path: the benchmarks (Benchmarks/) and the fuzzers
        // (Tests/Fuzz, which builds FuzzTargets with libFuzzer).
        .library(name: "FnhostWire", targets: ["FnhostWire"]),
        .library(name: "FnhostStore", targets: ["FnhostStore"]),
        .library(name: "FnhostStates", targets: ["FnhostStates"]),
        .library(name: "WorkerCache", targets: ["WorkerCache"]),
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // SQLite with the library vendored (no Debian package): the durable store (FnhostStore).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The live page's latency distributions (issue 16).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // The standard span API a function instruments itself with (`withSpan`); LambdaRuntime records it (issue 16).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // MARK: System libraries (Debian packages named as providers)
        .systemLibrary(
            name: "CHiredis", path: "runtime/CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),

        // MARK: Host side
        .target(name: "FnhostWire", path: "Sources/FnhostWire", swiftSettings: strict),
        .target(name: "FnhostManifest", dependencies: ["FnhostWire", "FnhostEventSources"], swiftSettings: strict),
        .target(
            name: "FnhostPool",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict
        ),
        .target(name: "FnhostGateway", dependencies: ["FnhostWire"], swiftSettings: strict),
        // Traces, pure: ids (X-Ray, W3C), the trace headers, spans of an invocation, the bounded store, the waterfall.
        .target(name: "FnhostTraces", dependencies: ["FnhostWire"], swiftSettings: strict),
        // SAM templates: YAML through Yams, intrinsics resolved, functions read; no I/O beyond reading the file.
        .target(
            name: "FnhostTemplate",
            dependencies: [
                "FnhostWire", "FnhostManifest", "FnhostEventSources", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // What a template's runtimes need to start: bootstrap, Python environments with awslambdaric, Node's client.
        .target(
            name: "FnhostRuntimes",
            dependencies: ["FnhostTemplate", "FnhostManifest", "FnhostSimulation", "FnhostEventSources"],
            swiftSettings: strict
        ),
        .target(name: "FnhostSimulation", swiftSettings: strict),
        // The Amazon States Language, pure: definitions, JSONPath, intrinsics, Choice rules and the interpreter, with
        // the function invoker and the clock behind protocols (no I/O).
        .target(name: "FnhostStates", dependencies: ["FnhostWire", "FnhostSimulation"], swiftSettings: strict),
        // The Step Functions API as a pure core: the AWS JSON 1.0 request decoder, AWS's error shapes and ARNs, the
        // state machines and executions a server keeps (behind ExecutionStore), definitions loaded from files.
        .target(
            name: "FnhostStepFunctions",
            dependencies: [
                "FnhostStates", "FnhostWire", "FnhostSimulation", "FnhostTraces",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // The overhead profiles (data files) and their loader; host side only, so workers need no Foundation.
        .target(
            name: "FnhostProfiles", dependencies: ["FnhostSimulation", "FnhostWire"], resources: [.copy("profiles")],
            swiftSettings: strict),
        // One TCP socket's inode through NETLINK_SOCK_DIAG, for the Runtime API's peer check.
        .target(name: "CSockDiag", path: "Sources/CSockDiag"),
        .target(
            name: "FnhostHost",
            dependencies: [
                "CSockDiag",
                "FnhostWire", "FnhostManifest", "FnhostPool", "FnhostSimulation", "FnhostProfiles", "FnhostTraces",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The one durable store (SQLite, WAL): async events, dead letters, queue messages. No HTTP, no host.
        .target(
            name: "FnhostStore",
            dependencies: [
                "FnhostWire",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // SQS's rules as a pure core: queue names and ARNs, attributes with their defaults and ranges, redrive
        // policies, request limits, and the errors with AWS's names and legacy codes. No I/O.
        .target(name: "FnhostQueues", dependencies: ["FnhostWire"], swiftSettings: strict),
        // Kinesis' rules as a pure core: hash-key ranges, sequence numbers, shard iterators, limits, errors, the
        // JSON 1.1 request decoder; and the stream consumer's decisions (batches, retries, bisection, checkpoints).
        .target(name: "FnhostStreams", dependencies: ["FnhostWire"], swiftSettings: strict),
        // Event source mappings as a pure core: the mapping, its settings with Lambda's defaults and rules, the
        // manifest's declarations, the SQS event, partial batch responses, poller scaling. No I/O.
        .target(name: "FnhostEventSources", dependencies: ["FnhostWire", "FnhostQueues"], swiftSettings: strict),
        // State machines on fnhost's pools: tasks run by FunctionHost.invoke, the profile's state-transition delay.
        .target(
            name: "FnhostStateMachines",
            dependencies: [
                "FnhostHost", "FnhostStates", "FnhostSimulation", "FnhostProfiles", "FnhostWire", "FnhostTraces",
                "FnhostStepFunctions", "FnhostStore",
            ],
            swiftSettings: strict
        ),
        // The live page's data, pure: the snapshot model and its JSON, per-second rolling windows, latency
        // distributions (HdrHistogram), server-sent event framing. `fnhost serve` feeds it and streams it.
        .target(
            name: "FnhostDashboard",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strict
        ),
        .target(
            name: "FnhostServer",
            dependencies: [
                "FnhostDashboard",
                "FnhostStateMachines", "FnhostStepFunctions", "FnhostStates",
                "FnhostHost", "FnhostStore", "FnhostGateway", "FnhostWire", "FnhostManifest", "FnhostSimulation",
                "FnhostQueues", "FnhostTemplate", "FnhostEventSources", "FnhostTraces", "FnhostStreams",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FnhostExperiment",
            dependencies: [
                "FnhostHost", "FnhostManifest", "FnhostServer", "FnhostSimulation", "WorkerCache", "FnhostWire",
                "FnhostTraces", "FnhostStates", "FnhostStateMachines", "FnhostStepFunctions",
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fnhost",
            dependencies: [
                "FnhostHost", "FnhostManifest", "FnhostWire", "FnhostServer", "FnhostSimulation", "FnhostExperiment",
                "FnhostStates", "FnhostStateMachines", "FnhostStepFunctions",
                "FnhostStore",
                "WorkerCache",
                "FnhostRuntimes", "FnhostTemplate", "FnhostQueues", "FnhostEventSources", "FnhostTraces",
                "FnhostStreams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The tiny C launcher every worker starts through: it ties the worker's life to the host's.
        // Linked statically: it runs at every cold start, and a dynamic link would load libswiftCore for a C program.
        .executableTarget(
            name: "fnhost-launch", path: "Sources/fnhost-launch", linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),

        // MARK: Worker side
        // The runtime speaks HTTP/1.1 to 127.0.0.1 itself: a worker on libcurl maps 36 shared libraries (6 without)
        // and takes 2-3x as long to cold-start (BENCHMARKS.md). CLambdaRuntime holds the two stdio calls Swift cannot
        // make safely.
        .target(name: "CLambdaRuntime", path: "runtime/CLambdaRuntime"),
        // The runtime for C and C++ functions: the Runtime API over libcurl, as AWS's aws-lambda-cpp. Swift workers
        // keep their own lean client (linking libcurl costs a Swift worker more than its cold-start budget).
        .target(
            name: "LambdaRuntimeC", path: "runtime/LambdaRuntimeC",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .executableTarget(name: "hello-c", dependencies: ["LambdaRuntimeC"], path: "functions/hello-c/main"),
        .target(
            name: "LambdaRuntime",
            dependencies: [
                "CLambdaRuntime", "FnhostWire", .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "runtime/LambdaRuntime",
            swiftSettings: strict),
        .target(
            name: "WorkerCache", dependencies: ["CHiredis", "FnhostWire"], path: "runtime/WorkerCache",
            swiftSettings: strict),
        .target(
            name: "ReferenceData", dependencies: ["FnhostWire", "LambdaRuntime", "WorkerCache", "FnhostSimulation"],
            path: "runtime/ReferenceData", swiftSettings: strict),

        // MARK: Functions
        .target(
            name: "RuleEngine", dependencies: ["FnhostWire"], path: "functions/rules/RuleEngine", swiftSettings: strict),
        .executableTarget(
            name: "rules", dependencies: ["FnhostWire", "LambdaRuntime", "RuleEngine"], path: "functions/rules/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),
        .executableTarget(
            name: "org-status",
            dependencies: [
                "FnhostWire", "LambdaRuntime", "ReferenceData", "RuleEngine",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "functions/org-status/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),
        .executableTarget(
            name: "coverage", dependencies: ["FnhostWire", "LambdaRuntime", "ReferenceData"],
            path: "functions/coverage/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),

        // The orchestrator of seed 000 and the request log it writes (issue 12).
        .executableTarget(
            name: "eligibility", dependencies: ["FnhostWire", "LambdaRuntime", "ReferenceData"],
            path: "functions/eligibility/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),
        .executableTarget(
            name: "request-log", dependencies: ["FnhostWire", "LambdaRuntime", "WorkerCache"],
            path: "functions/request-log/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),
        .executableTarget(
            name: "poison-consumer", dependencies: ["FnhostWire", "LambdaRuntime"],
            path: "functions/poison-consumer/main",
            swiftSettings: strict,
            linkerSettings: staticWorker
        ),

        // MARK: Tests
        // The tests run the worker executables and fnhost-launch as processes; `swift test` builds every product
        // first. They are not dependencies of the test targets: a test bundle links the code of the executables it
        // depends on, and with it their static-link flags, which a test bundle cannot take.
        // The parsers that read bytes from other processes and users' files, with their invariants: fuzzed by the
        // package in Tests/Fuzz, and replayed over the corpus and past crashes by FuzzRegressionTests.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "FnhostGateway", "FnhostManifest", "FnhostProfiles", "FnhostSimulation", "FnhostWire", "LambdaRuntime",
                "RuleEngine", "WorkerCache", "FnhostStates", "FnhostTemplate", "LambdaRuntimeC", "FnhostStepFunctions",
                "FnhostQueues", "FnhostEventSources", "FnhostTraces", "FnhostStreams",
            ],
            path: "Tests/FuzzTargets", swiftSettings: strict
        ),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzTargets"], swiftSettings: strict),
        // The helpers and fixtures every test target shares, one copy of each: where the build and the fixtures are
        // (failing clearly when a product is not built), temporary folders, fixture copies, running commands under a
        // time limit, /proc process checks, polling with a deadline, a real redis-server and a raw Redis client.
        // The fixture functions are in Tests/Fixtures, read from the source tree (no target owns them).
        .target(
            name: "TestSupport",
            dependencies: [
                "CHiredis", "FnhostHost", "FnhostWire", "FnhostSimulation",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Tests/TestSupport", swiftSettings: strict
        ),
        // One test target per module, named after it.
        .testTarget(name: "FnhostWireTests", dependencies: ["FnhostWire"], swiftSettings: strict),
        .testTarget(name: "FnhostTracesTests", dependencies: ["FnhostTraces", "FnhostWire"], swiftSettings: strict),
        .testTarget(name: "FnhostStoreTests", dependencies: ["FnhostStore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "FnhostDashboardTests", dependencies: ["FnhostDashboard"], swiftSettings: strict),
        .testTarget(name: "FnhostQueuesTests", dependencies: ["FnhostQueues", "FnhostWire"], swiftSettings: strict),
        .testTarget(name: "FnhostStreamsTests", dependencies: ["FnhostStreams", "FnhostWire"], swiftSettings: strict),
        .testTarget(
            name: "FnhostEventSourcesTests", dependencies: ["FnhostEventSources", "FnhostQueues", "FnhostWire"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostStatesTests", dependencies: ["FnhostStates", "FnhostSimulation", "FnhostWire", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostStepFunctionsTests",
            dependencies: ["FnhostStepFunctions", "FnhostStates", "FnhostTraces", "FnhostWire", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostStateMachinesTests",
            dependencies: [
                "FnhostStateMachines", "FnhostHost", "FnhostSimulation", "FnhostStates", "FnhostWire",
                "FnhostStepFunctions", "FnhostStore", "FnhostTraces", "TestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostManifestTests", dependencies: ["FnhostManifest", "FnhostEventSources", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostPoolTests", dependencies: ["FnhostPool", "FnhostSimulation", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostGatewayTests", dependencies: ["FnhostGateway", "FnhostSimulation", "FnhostWire"],
            swiftSettings: strict),
        .testTarget(
            name: "FnhostSimulationTests", dependencies: ["FnhostSimulation", "FnhostProfiles", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FnhostProfilesTests", dependencies: ["FnhostProfiles", "FnhostSimulation", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FnhostHostTests",
            dependencies: [
                "FnhostHost", "FnhostManifest", "FnhostTraces", "FnhostWire", "fnhost", "TestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
                // ConnectionGuardTests drive the Runtime API's pipeline on an EmbeddedChannel, hours in a second.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // `fnhost serve` as a real process over real HTTP.
        .testTarget(
            name: "FnhostServerTests",
            dependencies: [
                "FnhostManifest", "FnhostServer", "FnhostStore", "FnhostWire", "LambdaRuntime", "fnhost", "TestSupport",
                "FnhostTemplate", "FnhostHost", "FnhostStreams", "FnhostEventSources",
                "FnhostTraces", "FnhostSimulation",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FnhostTemplateTests",
            dependencies: ["FnhostTemplate", "FnhostWire"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FnhostExperimentTests",
            dependencies: ["FnhostExperiment", "FnhostHost", "FnhostProfiles", "FnhostSimulation", "TestSupport"],
            swiftSettings: strict
        ),
        // The `fnhost` command, run as the built binary.
        .testTarget(
            name: "FnhostCommandTests",
            dependencies: ["fnhost", "TestSupport", .product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RuleEngineTests", dependencies: ["RuleEngine", "FnhostWire", "TestSupport"], swiftSettings: strict),
        // The worker side.
        .testTarget(
            name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "FnhostSimulation", "FnhostWire"],
            swiftSettings: strict),
        .testTarget(
            name: "ReferenceDataTests",
            dependencies: ["ReferenceData", "LambdaRuntime", "WorkerCache", "FnhostWire", "FnhostSimulation"],
            swiftSettings: strict
        ),
        .testTarget(name: "WorkerCacheTests", dependencies: ["WorkerCache", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
