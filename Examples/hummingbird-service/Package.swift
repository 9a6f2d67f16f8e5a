// swift-tools-version:6.1
import Foundation
import PackageDescription

// The SDK is this repository's root, a path dependency; its identity is the root folder's
// name, which differs between checkouts. In your own service, depend on the SDK by URL.
let sdk = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "hummingbird-service",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "hummingbird-service",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OTelSDK", package: sdk),
                .product(name: "OTLPExporter", package: sdk),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Runs the built service against an embedded OTLP receiver.
        .testTarget(
            name: "HummingbirdServiceTests",
            dependencies: [
                .product(name: "OTLPReceiver", package: sdk),
                .product(name: "OTelSDK", package: sdk),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
