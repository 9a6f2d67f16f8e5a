import Tracing

/// Name/value pairs that travel with a request across services (W3C Baggage).
///
/// Baggage lives in the `InstrumentationContext` (``Tracing/InstrumentationContext/baggage``);
/// the tracer's `inject` writes it as the `baggage` header and `extract` reads it.
public struct Baggage: Sendable, Hashable {
    /// One member of the baggage.
    public struct Entry: Sendable, Hashable {
        /// The name.
        public let key: String
        /// The value, decoded.
        public let value: String
        /// The member's properties as they appeared after `;` (opaque to the SDK).
        public let metadata: String?

        /// Creates an entry.
        /// - Parameters:
        ///   - key: the name, an HTTP token.
        ///   - value: the value.
        ///   - metadata: properties; defaults to nil.
        public init(key: String, value: String, metadata: String? = nil) {
            self.key = key
            self.value = value
            self.metadata = metadata
        }
    }

    /// The members in order.
    public private(set) var entries: [Entry]

    /// Creates baggage from its members.
    /// - Parameter entries: the members; defaults to none.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The value for `key`; setting nil removes it, setting a value replaces or appends it.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[index] = Entry(key: key, value: newValue)
                } else {
                    entries.remove(at: index)
                }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Whether there are no members.
    public var isEmpty: Bool { entries.isEmpty }
}

private enum BaggageKey: InstrumentationContextKey {
    typealias Value = Baggage
    static var nameOverride: String? { "otel-baggage" }
}

extension InstrumentationContext {
    /// The W3C baggage carried by this context, if any.
    public var baggage: Baggage? {
        get { self[BaggageKey.self] }
        set { self[BaggageKey.self] = newValue }
    }
}
