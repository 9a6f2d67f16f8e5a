// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-otlp-exporter",
    products: [
        .library(name: "OTelSDK", targets: ["OTelSDK"]),
        .library(name: "OTLPExporter", targets: ["OTLPExporter"]),
        .library(name: "OTLPReceiver", targets: ["OTLPReceiver"]),
        .executable(name: "otlp-demo", targets: ["otlp-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Only the receiver (for tests, the demo and the benchmark) builds SwiftNIO; the
        // exporter libraries do not depend on it.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
    ],
    targets: [
        // MARK: C libraries

        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "CCurlShims",
            dependencies: ["CCurl"]
        ),
        .target(name: "COTelSDKShims"),
        .target(
            name: "COTLPProto",
            dependencies: ["CProtobufC"]
        ),

        // MARK: Swift modules

        .target(
            name: "OTelSDK",
            dependencies: [
                "COTelSDKShims",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "OTLPExporter",
            dependencies: [
                "OTelSDK",
                "COTLPProto",
                "CCurlShims",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "OTLPReceiver",
            dependencies: [
                "OTelSDK",
                "OTLPExporter",
                "COTLPProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "otlp-demo",
            dependencies: [
                "OTelSDK",
                "OTLPExporter",
                "OTLPReceiver",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // MARK: Tests

        .testTarget(
            name: "OTelSDKTests",
            dependencies: [
                "OTelSDK",
                "OTLPTestSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "OTLPExporterTests",
            dependencies: ["OTLPExporter", "OTelSDK", "COTLPProto", "CZlib", "OTLPReceiver", "OTLPTestSupport"]
        ),
        .testTarget(
            name: "OTLPReceiverTests",
            dependencies: [
                "OTLPReceiver", "OTLPExporter", "OTelSDK", "OTLPTestSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The whole pipeline against failing collectors: accounting, app threads, deadlines.
        .testTarget(
            name: "OTLPFaultTests",
            dependencies: [
                "OTelSDK", "OTLPExporter", "OTLPReceiver", "OTLPTestSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // Helpers the test targets share: a real collector (rotel), an embedded receiver that is
        // always stopped, span fixtures, a PNG reader, a captured log.
        .target(
            name: "OTLPTestSupport",
            dependencies: [
                "CZlib", "OTelSDK", "OTLPExporter", "OTLPReceiver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Tests/OTLPTestSupport"
        ),
    ],
    swiftLanguageModes: [.v6]
)
