import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `OTEL_*` environment variables, read with the specification's rules: an empty value
/// counts as unset, and a value that cannot be used is reported once and ignored (the
/// default applies).
public struct OTelEnvironment: Sendable {
    /// The variables, by name.
    public let values: [String: String]
    /// Where unusable values are reported.
    package let logger: Logger

    /// Reads `values` (by default, the process environment).
    /// - Parameters:
    ///   - values: variable names and values; defaults to the process environment.
    ///   - logger: where unusable values are reported; defaults to the SDK's logger.
    public init(
        _ values: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        self.values = values
        self.logger = logger
    }

    /// The value of `name`, nil when unset or empty.
    public subscript(name: String) -> String? {
        guard let value = values[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return String(value)
    }

    /// Parses a `key=value,key=value` list with percent-encoded keys and values, as
    /// `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS` use (W3C Baggage's octet
    /// range: `,` `=` and `%` in a key or value are written `%2C` `%3D` `%25`); empty members
    /// are skipped. Returns nil when any member is malformed (no `=`, an empty key, a bad escape).
    /// - Parameter list: the variable's value.
    public static func keyValueList(_ list: String) -> [(key: String, value: String)]? {
        var pairs: [(key: String, value: String)] = []
        for member in list.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = member.trimmingOWS()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            guard let key = PercentEncoding.decode(trimmed[..<equals].trimmingOWS()), !key.isEmpty,
                let value = PercentEncoding.decode(trimmed[trimmed.index(after: equals)...].trimmingOWS())
            else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }

    /// A non-negative integer, or nil (reported) when the value is something else.
    func nonNegativeInteger(_ name: String) -> Int? {
        integer(name, atLeast: 0, expected: "a non-negative integer")
    }

    /// A positive integer, or nil (reported) when the value is something else: for sizes and
    /// intervals that zero would make meaningless.
    func positiveInteger(_ name: String) -> Int? {
        integer(name, atLeast: 1, expected: "a positive integer")
    }

    private func integer(_ name: String, atLeast minimum: Int, expected: String) -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text), value >= minimum else {
            reportInvalid(name, text, expected: expected)
            return nil
        }
        return value
    }

    /// A boolean (`true` or `false`, any case); anything else is reported and read as false,
    /// as the specification requires.
    func boolean(_ name: String) -> Bool {
        guard let text = self[name] else { return false }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            reportInvalid(name, text, expected: "true or false")
            return false
        }
    }

    /// Logs that the value of `name` cannot be used and the default applies.
    package func reportInvalid(_ name: String, _ value: String, expected: String) {
        logger.warning(
            "Ignoring invalid environment value; using the default",
            metadata: ["variable": "\(name)", "value": "\(value)", "expected": "\(expected)"]
        )
    }
}
