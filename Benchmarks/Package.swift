// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between checkouts.
let library = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

// The benchmarks live in a package of their own so that building the library does not
// build package-benchmark. Run: swift package --disable-sandbox benchmark
let package = Package(
    name: "Benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "Workloads",
            dependencies: [
                .product(name: "OTelSDK", package: library),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The workloads end to end, one JSON line per run: swift run -c release otlp-bench --workload W2
        .executableTarget(
            name: "otlp-bench",
            dependencies: [
                "Workloads",
                .product(name: "OTelSDK", package: library),
                .product(name: "OTLPExporter", package: library),
                .product(name: "OTLPReceiver", package: library),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
    ]
        + ["OTLPEncoding", "SpanLifecycle", "BatchProcessing", "MetricRecording"].map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "Workloads",
                    .product(name: "Benchmark", package: "benchmark"),
                    .product(name: "OTLPExporter", package: library),
                    .product(name: "OTelSDK", package: library),
                    .product(name: "Tracing", package: "swift-distributed-tracing"),
                    .product(name: "CoreMetrics", package: "swift-metrics"),
                ],
                path: "Benchmarks/\(name)",
                plugins: [
                    .plugin(name: "BenchmarkPlugin", package: "benchmark")
                ]
            )
        },
    swiftLanguageModes: [.v6]
)
