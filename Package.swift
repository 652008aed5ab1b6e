// swift-tools-version:6.0
import PackageDescription

// Pure cores (RuralPostCore, Routing, OrderSplitting) depend on nothing from NIO or
// Postgres so that solver and splitter builds, tests and benchmarks stay fast.

// The two engines are compiled with optimisation in debug builds too: `make demo` and
// the test suite run a debug build, and an unoptimised search is 10-50x slower.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
let package = Package(
    name: "RuralPost",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ruralpost", targets: ["ruralpost"]),
        // The solver alone (`ruralpost-solve FILE ...` = `ruralpost solve FILE ...`): builds in
        // a minute or two in release, without NIO/Postgres, for benchmarks.
        .executable(name: "ruralpost-solve", targets: ["ruralpost-solve"]),
        .library(name: "RuralPostCore", targets: ["RuralPostCore"]),
        .library(name: "Routing", targets: ["Routing"]),
        .library(name: "OrderSplitting", targets: ["OrderSplitting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // HTTP client for webhook delivery and for load/crash tests; already in the graph
        // through Hummingbird's test framework.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Hummingbird's own header types; named so the API can declare custom header names.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        // Already a dependency of postgres-nio; used directly for SHA-256/HMAC (API keys,
        // pickup codes, webhook signatures).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(name: "RuralPostCore"),
        .target(name: "Routing", swiftSettings: optimisedEvenInDebug),
        .target(name: "OrderSplitting", dependencies: ["RuralPostCore"], swiftSettings: optimisedEvenInDebug),
        // The `solve` command, shared by `ruralpost solve` and `ruralpost-solve`.
        .target(
            name: "SolveCLI",
            dependencies: ["Routing", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "ruralpost-solve", dependencies: ["SolveCLI"]),
        // Database plumbing only: pool, transactions, error mapping, migrations, the
        // embedded launcher. Knows no table of the domain.
        .target(
            name: "Persistence",
            dependencies: [
                "RuralPostCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The application: orders, inventory, pickups, collections, master data, import,
        // demo data and the stores planning reads and writes. Domain results and errors,
        // never HTTP.
        .target(
            name: "Logistics",
            dependencies: [
                "RuralPostCore", "OrderSplitting", "Persistence",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "API",
            dependencies: [
                "RuralPostCore", "Persistence", "Logistics", "Planning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                // Webhook delivery worker (notification outbox).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The browser screens: served from the project home at run time (like sql/
            // and docs/), not compiled into the module.
            exclude: ["Public"]
        ),
        // Route planning: builds the solver's problem from a depot's day, solves, renders
        // the outputs. Reads and writes through Logistics' stores, no SQL of its own.
        .target(
            name: "Planning",
            dependencies: [
                "RuralPostCore", "Routing", "Logistics",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ruralpost",
            dependencies: [
                "RuralPostCore", "Routing", "OrderSplitting", "Persistence", "Logistics", "API", "Planning", "SolveCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "RuralPostCoreTests", dependencies: ["RuralPostCore"]),
        // Reads Sources/ and checks the layering (what each target may import, where SQL is).
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "SolveCLI"]),
        .testTarget(name: "OrderSplittingTests", dependencies: ["OrderSplitting"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Routing", "Logistics"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Persistence", "Logistics", "API", "RuralPostCore", "Planning", "Routing",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
