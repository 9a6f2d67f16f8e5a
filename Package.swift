// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-otlp-exporter",
    products: [
        .library(name: "OTelSDK", targets: ["OTelSDK"]),
        .library(name: "OTLPExporter", targets: ["OTLPExporter"]),
        .executable(name: "otlp-demo", targets: ["otlp-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
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
        .target(
            name: "COTLPProto",
            dependencies: ["CProtobufC"]
        ),

        // MARK: Swift modules

        .target(
            name: "OTelSDK",
            dependencies: [
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
            ]
        ),
        .executableTarget(
            name: "otlp-demo",
            dependencies: [
                "OTelSDK",
                "OTLPExporter",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // MARK: Tests

        .testTarget(
            name: "OTelSDKTests",
            dependencies: [
                "OTelSDK",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "OTLPExporterTests",
            dependencies: ["OTLPExporter", "OTelSDK", "COTLPProto", "CZlib"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
