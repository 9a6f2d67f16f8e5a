import Tracing

/// How a ``SpanData`` holds its attributes: as a list, or as the span recorded them (its
/// typed list and its `SpanAttributes` dictionary), converted only when read.
///
/// Keeping the recorded form means that freezing a span on the batch processor's worker
/// copies nothing, and that an exporter converts each attribute once, straight into its own
/// format, through ``SpanData/forEachAttribute(_:)``.
@usableFromInline
enum SpanAttributeStorage: Sendable {
    case list([Attribute])
    /// The span limits were applied to the count as the span recorded; strings are cut to
    /// `valueLengthLimit` when read.
    case recorded(typed: [Attribute], dictionary: SpanAttributes, valueLengthLimit: Int?)

    @inlinable
    var count: Int {
        switch self {
        case .list(let attributes): attributes.count
        case .recorded(let typed, let dictionary, _): typed.count + dictionary.count
        }
    }

    @inlinable
    func forEach(_ body: (String, AttributeValue) -> Void) {
        switch self {
        case .list(let attributes):
            for attribute in attributes {
                body(attribute.key, attribute.value)
            }
        case .recorded(let typed, let dictionary, let valueLengthLimit):
            // Without a length limit (the default) the values go out as they are, with no call per value.
            let limits = valueLengthLimit.map { SpanLimits(attributeValueLengthLimit: $0) }
            for attribute in typed {
                body(attribute.key, limits?.truncated(attribute.value) ?? attribute.value)
            }
            // "The attribute key MUST be a non-null and non-empty string": an empty key set
            // through `SpanAttributes` is left out here, on the worker, rather than looked up
            // on every update on the app thread.
            func visit(_ key: String, _ attribute: SpanAttribute) {
                guard !key.isEmpty, let value = AttributeValue(attribute) else { return }
                body(key, limits?.truncated(value) ?? value)
            }
            // The dictionary itself when it can be reached: iterated here, specialized, rather
            // than through a closure per attribute.
            let visited: Void? = dictionary.withDictionary { attributes in
                for (key, attribute) in attributes { visit(key, attribute) }
            }
            if visited == nil { dictionary.forEach(visit) }
        }
    }
}
