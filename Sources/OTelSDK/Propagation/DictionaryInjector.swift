import Tracing

/// Writes propagation headers into a `[String: String]`, such as a message's headers.
public struct DictionaryInjector: Injector {
    /// Creates the injector.
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}
