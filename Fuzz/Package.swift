// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between checkouts.
let library = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

// libFuzzer harnesses, a package of their own so that the library's build never carries the
// fuzzer flags. Run them with Scripts/fuzz.sh, which builds each with
// -sanitize=fuzzer,address in debug (so that @testable imports reach internal parsers). Each
// harness's main hands libFuzzer its test function (FuzzDriver).
let package = Package(
    name: "Fuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "fuzz-propagation",
            dependencies: [
                "FuzzDriver",
                .product(name: "OTelSDK", package: library),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "fuzz-environment",
            dependencies: [
                "FuzzDriver",
                .product(name: "OTelSDK", package: library),
                .product(name: "OTLPExporter", package: library),
            ]
        ),
        .executableTarget(
            name: "fuzz-grpc-response",
            dependencies: ["FuzzDriver", .product(name: "OTLPExporter", package: library)]
        ),
        .executableTarget(
            name: "fuzz-otlp-decoding",
            dependencies: [
                "FuzzDriver",
                .product(name: "OTLPExporter", package: library),
                .product(name: "OTLPReceiver", package: library),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
