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
            ]
        ),
        .target(
            name: "OTLPExporter",
            dependencies: [
                "OTelSDK",
                "COTLPProto",
                "CCurlShims",
                "CZlib",
            ]
        ),
        .executableTarget(
            name: "otlp-demo",
            dependencies: ["OTelSDK", "OTLPExporter"]
        ),

        // MARK: Tests

        .testTarget(
            name: "OTelSDKTests",
            dependencies: ["OTelSDK"]
        ),
        .testTarget(
            name: "OTLPExporterTests",
            dependencies: ["OTLPExporter", "OTelSDK", "COTLPProto"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
