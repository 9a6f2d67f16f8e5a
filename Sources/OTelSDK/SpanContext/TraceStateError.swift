/// Why entries cannot form a ``TraceState``: they break the W3C Trace Context Level 2 rules.
public enum TraceStateError: Error, Equatable, CustomStringConvertible {
    /// A key that does not match `( lcalpha / DIGIT ) 0*255 ( keychar )`.
    case invalidKey(String)
    /// A value that is not 1 to 256 printable ASCII characters other than `,` and `=`, or ends in a space.
    case invalidValue(key: String, value: String)
    /// A key given twice: "Only one entry per key is allowed".
    case repeatedKey(String)
    /// More than ``TraceState/maximumEntryCount`` entries.
    case tooManyEntries(Int)

    public var description: String {
        switch self {
        case .invalidKey(let key):
            "invalid tracestate key \"\(key)\": expected a lower-case letter or digit, then up to 255 of a-z 0-9 _ - * / @"
        case .invalidValue(let key, let value):
            "invalid tracestate value \"\(value)\" for \"\(key)\": expected 1 to 256 printable ASCII characters other than , and =, not ending in a space"
        case .repeatedKey(let key):
            "tracestate key \"\(key)\" given more than once"
        case .tooManyEntries(let count):
            "\(count) tracestate entries: at most \(TraceState.maximumEntryCount) are allowed"
        }
    }
}
