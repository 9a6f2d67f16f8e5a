#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Resource {
    /// The version this SDK reports as `telemetry.sdk.version`.
    public static let sdkVersion = "0.1.0"

    /// The resource a tracer provider uses: the SDK's defaults, then `OTEL_RESOURCE_ATTRIBUTES`,
    /// then `OTEL_SERVICE_NAME`, then `attributes`, each winning over the ones before.
    ///
    /// The defaults: `service.name` = `unknown_service:` + the process name,
    /// `telemetry.sdk.name`, `telemetry.sdk.language` = `swift`, `telemetry.sdk.version`,
    /// `process.pid`, `process.executable.name`, `process.runtime.name`, `host.name`, `os.type`.
    ///
    /// `OTEL_RESOURCE_ATTRIBUTES` is a `key=value,key=value` list with percent-encoded values;
    /// a malformed list is reported and ignored whole, as the specification requires.
    /// - Parameters:
    ///   - attributes: the application's own attributes, for example `service.name`.
    ///   - environment: the environment to read; defaults to the process environment.
    public static func detected(
        attributes: [Attribute] = [],
        environment: OTelEnvironment = OTelEnvironment()
    ) -> Resource {
        let process = ProcessInfo.processInfo
        var merged: [Attribute] = [
            Attribute("service.name", .string("unknown_service:\(process.processName)")),
            Attribute("telemetry.sdk.name", "swift-otlp-exporter"),
            Attribute("telemetry.sdk.language", "swift"),
            Attribute("telemetry.sdk.version", .string(sdkVersion)),
            Attribute("process.pid", .int(Int64(process.processIdentifier))),
            Attribute("process.executable.name", .string(process.processName)),
            Attribute("process.runtime.name", "swift"),
            Attribute("host.name", .string(process.hostName)),
            Attribute("os.type", "linux"),
        ]
        if let list = environment["OTEL_RESOURCE_ATTRIBUTES"] {
            if let pairs = OTelEnvironment.keyValueList(list) {
                merged += pairs.map { Attribute($0.key, .string($0.value)) }
            } else {
                environment.reportInvalid(
                    "OTEL_RESOURCE_ATTRIBUTES",
                    list,
                    expected: "key=value pairs separated by commas"
                )
            }
        }
        if let serviceName = environment["OTEL_SERVICE_NAME"] {
            merged.append(Attribute("service.name", .string(serviceName)))
        }
        // Resource's initializer keeps the last value of a repeated key.
        return Resource(attributes: merged + attributes)
    }

    /// The detected resource with `resource` merged over it (its attributes win), or the
    /// detected one alone: what each provider runs with.
    static func detected(under resource: Resource?, environment: OTelEnvironment) -> Resource {
        let detected = Resource.detected(environment: environment)
        return resource.map(detected.merging) ?? detected
    }
}
