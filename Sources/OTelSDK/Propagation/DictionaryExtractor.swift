import Tracing

/// Reads propagation headers from a `[String: String]`, such as a message's headers.
public struct DictionaryExtractor: Extractor {
    /// Creates the extractor.
    public init() {}

    public func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
