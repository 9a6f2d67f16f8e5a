/// Bounds on what one log record may hold. What goes over a limit is dropped and counted on
/// the ``LogRecordData``.
///
/// Each limit can come from the environment (see ``init(environment:)``); the defaults are the
/// OpenTelemetry specification's: 128 attributes, and no limit on value length.
public struct LogRecordLimits: Sendable, Equatable {
    /// Attributes per log record. Environment: `OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT`, else
    /// `OTEL_ATTRIBUTE_COUNT_LIMIT`. Default: 128.
    public var attributeCountLimit: Int
    /// The longest string value (in characters), for attributes and every string inside an
    /// array or map value; nil means unlimited. Environment:
    /// `OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT`, else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`.
    /// Default: unlimited.
    public var attributeValueLengthLimit: Int?

    /// Creates log record limits.
    /// - Parameters:
    ///   - attributeCountLimit: attributes per record; default 128.
    ///   - attributeValueLengthLimit: longest string value; default nil (unlimited).
    public init(attributeCountLimit: Int = 128, attributeValueLengthLimit: Int? = nil) {
        self.attributeCountLimit = attributeCountLimit
        self.attributeValueLengthLimit = attributeValueLengthLimit
    }

    /// The limits the environment sets, the defaults for the rest; the general
    /// `OTEL_ATTRIBUTE_*` variables are the fallback, as for spans. A value that is not a
    /// non-negative integer is reported and the default used.
    /// - Parameter environment: the environment to read.
    public init(environment: OTelEnvironment) {
        self.init(
            attributeCountLimit: environment.nonNegativeInteger("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT")
                ?? environment.nonNegativeInteger("OTEL_ATTRIBUTE_COUNT_LIMIT")
                ?? LogRecordLimits().attributeCountLimit,
            attributeValueLengthLimit: environment.nonNegativeInteger("OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT")
                ?? environment.nonNegativeInteger("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT")
        )
    }

    /// `value` with every string in it cut to ``attributeValueLengthLimit`` characters.
    func truncated(_ value: LogValue) -> LogValue {
        guard let limit = attributeValueLengthLimit else { return value }
        switch value {
        case .string(let string) where string.count > limit: return .string(String(string.prefix(limit)))
        case .array(let values): return .array(values.map(truncated))
        case .map(let attributes): return .map(attributes.map { LogAttribute($0.key, truncated($0.value)) })
        default: return value
        }
    }
}
