/// Bounds on what one span may hold, so that a runaway instrumentation cannot grow a span
/// without limit. What goes over a limit is dropped and counted on the ``SpanData``.
///
/// Each limit can come from the environment (see ``init(environment:)``); the defaults are the
/// OpenTelemetry specification's: 128 of each, and no limit on value length.
public struct SpanLimits: Sendable, Equatable {
    /// Attributes per span. Environment: `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, else
    /// `OTEL_ATTRIBUTE_COUNT_LIMIT`. Default: 128.
    public var attributeCountLimit: Int
    /// The longest string value (in characters), for attributes and each element of string
    /// arrays; nil means unlimited. Environment: `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, else
    /// `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`. Default: unlimited.
    public var attributeValueLengthLimit: Int?
    /// Events per span. Environment: `OTEL_SPAN_EVENT_COUNT_LIMIT`. Default: 128.
    public var eventCountLimit: Int
    /// Links per span. Environment: `OTEL_SPAN_LINK_COUNT_LIMIT`. Default: 128.
    public var linkCountLimit: Int
    /// Attributes per event. Environment: `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`, else
    /// `OTEL_ATTRIBUTE_COUNT_LIMIT`. Default: 128.
    public var attributePerEventCountLimit: Int
    /// Attributes per link. Environment: `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`, else
    /// `OTEL_ATTRIBUTE_COUNT_LIMIT`. Default: 128.
    public var attributePerLinkCountLimit: Int

    /// Creates span limits.
    /// - Parameters:
    ///   - attributeCountLimit: attributes per span; default 128.
    ///   - attributeValueLengthLimit: longest string value; default nil (unlimited).
    ///   - eventCountLimit: events per span; default 128.
    ///   - linkCountLimit: links per span; default 128.
    ///   - attributePerEventCountLimit: attributes per event; default 128.
    ///   - attributePerLinkCountLimit: attributes per link; default 128.
    public init(
        attributeCountLimit: Int = 128,
        attributeValueLengthLimit: Int? = nil,
        eventCountLimit: Int = 128,
        linkCountLimit: Int = 128,
        attributePerEventCountLimit: Int = 128,
        attributePerLinkCountLimit: Int = 128
    ) {
        self.attributeCountLimit = attributeCountLimit
        self.attributeValueLengthLimit = attributeValueLengthLimit
        self.eventCountLimit = eventCountLimit
        self.linkCountLimit = linkCountLimit
        self.attributePerEventCountLimit = attributePerEventCountLimit
        self.attributePerLinkCountLimit = attributePerLinkCountLimit
    }

    /// The limits the environment sets, the defaults for the rest. `OTEL_ATTRIBUTE_COUNT_LIMIT`
    /// is the fallback for span, event and link attribute counts alike: "model-specific
    /// limits ... SHOULD fall back to the general limits" (OpenTelemetry common specification). A value that is not a
    /// non-negative integer is reported to `invalid` and the default used.
    /// - Parameter environment: the environment to read.
    public init(environment: OTelEnvironment) {
        let defaults = SpanLimits()
        let generalCount = environment.nonNegativeInteger("OTEL_ATTRIBUTE_COUNT_LIMIT")
        let generalLength = environment.nonNegativeInteger("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT")
        self.init(
            attributeCountLimit: environment.nonNegativeInteger("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT")
                ?? generalCount ?? defaults.attributeCountLimit,
            attributeValueLengthLimit: environment.nonNegativeInteger("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT")
                ?? generalLength,
            eventCountLimit: environment.nonNegativeInteger("OTEL_SPAN_EVENT_COUNT_LIMIT") ?? defaults.eventCountLimit,
            linkCountLimit: environment.nonNegativeInteger("OTEL_SPAN_LINK_COUNT_LIMIT") ?? defaults.linkCountLimit,
            attributePerEventCountLimit: environment.nonNegativeInteger("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT")
                ?? generalCount ?? defaults.attributePerEventCountLimit,
            attributePerLinkCountLimit: environment.nonNegativeInteger("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT")
                ?? generalCount ?? defaults.attributePerLinkCountLimit
        )
    }

    /// `value` with strings cut to ``attributeValueLengthLimit`` characters.
    @usableFromInline
    func truncated(_ value: AttributeValue) -> AttributeValue {
        guard let limit = attributeValueLengthLimit else { return value }
        switch value {
        case .string(let string) where string.count > limit:
            return .string(String(string.prefix(limit)))
        case .stringArray(let strings) where strings.contains(where: { $0.count > limit }):
            return .stringArray(strings.map { $0.count > limit ? String($0.prefix(limit)) : $0 })
        default:
            return value
        }
    }
}
