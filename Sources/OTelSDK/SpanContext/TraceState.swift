/// Vendor-specific trace data carried beside the trace id (the W3C `tracestate` header).
///
/// Entries keep their order: the first one is the most recently updated, as the W3C
/// specification requires.
public struct TraceState: Sendable, Hashable {
    /// One `key=value` member of the list.
    public struct Entry: Sendable, Hashable {
        /// The vendor key, for example `congo` or `fw529a3039@dt`.
        public let key: String
        /// The opaque value.
        public let value: String

        /// Creates an entry.
        /// - Parameters:
        ///   - key: the vendor key.
        ///   - value: the opaque value.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The entries, most recently updated first; keys unique.
    public let entries: [Entry]

    private init(validEntries: [Entry]) {
        self.entries = validEntries
    }

    /// Creates a trace state from its entries, checked by the W3C Trace Context Level 2 rules.
    /// - Parameter entries: the entries, most recently updated first.
    /// - Throws: ``TraceStateError`` for a key or value the grammar does not allow, a key that
    ///   repeats, or more than ``maximumEntryCount`` entries.
    public init(entries: [Entry]) throws(TraceStateError) {
        guard entries.count <= Self.maximumEntryCount else { throw .tooManyEntries(entries.count) }
        for (index, entry) in entries.enumerated() {
            try Self.validate(entry)
            if entries[..<index].contains(where: { $0.key == entry.key }) { throw .repeatedKey(entry.key) }
        }
        self.init(validEntries: entries)
    }

    /// The most entries a trace state may hold (W3C Trace Context).
    public static let maximumEntryCount = 32

    /// Parses a `tracestate` header value by the W3C Trace Context Level 2 rules, or returns
    /// nil when a member breaks them (a bad key or value) or there are more than 32 members.
    ///
    /// "Multiple tracestate header fields MUST be handled as specified by RFC7230 Section
    /// 3.2.2": fields joined with `,` parse as one. Empty and whitespace-only members are
    /// skipped. A key that repeats keeps its first (leftmost, most recent) entry: "Only one
    /// entry per key is allowed because the entry represents that last position in the trace."
    /// - Parameter headerValue: the header value, for example `rojo=00f067aa0ba902b7,congo=t61rcWkgMzE`.
    public init?(headerValue: some StringProtocol) {
        var entries: [Entry] = []
        for member in headerValue.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let trimmed = member.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }
            if trimmed.isEmpty { continue }
            let bytes = Array(trimmed.reversed())
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = bytes[..<equals]
            let value = bytes[(equals + 1)...]
            guard Self.isValidKey(key), Self.isValidValue(value) else { return nil }
            let entry = Entry(key: String(decoding: key, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
            if entries.contains(where: { $0.key == entry.key }) { continue }
            entries.append(entry)
        }
        guard entries.count <= Self.maximumEntryCount else { return nil }
        self.init(validEntries: entries)
    }

    /// `( lcalpha / DIGIT ) 0*255 ( keychar )`, where keychar is `lcalpha / DIGIT / "_" / "-" /
    /// "*" / "/" / "@"` (W3C Trace Context Level 2, section Key).
    static func isValidKey(_ key: some Collection<UInt8>) -> Bool {
        func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = key.first, isLowercaseLetterOrDigit(first), key.count <= 256 else { return false }
        return key.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "@"): true
            default: isLowercaseLetterOrDigit(byte)
            }
        }
    }

    /// 1 to 256 printable ASCII characters other than `,` and `=`, not ending in a space.
    static func isValidValue(_ value: some BidirectionalCollection<UInt8>) -> Bool {
        guard (1...256).contains(value.count), value.last != 0x20 else { return false }
        return value.allSatisfy { byte in
            (0x20...0x7E).contains(byte) && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
        }
    }

    private static func validate(_ entry: Entry) throws(TraceStateError) {
        guard isValidKey(entry.key.utf8) else { throw .invalidKey(entry.key) }
        guard isValidValue(entry.value.utf8) else { throw .invalidValue(key: entry.key, value: entry.value) }
    }

    // MARK: Changes
    //
    // "All mutating operations MUST return a new TraceState with the modifications applied.
    // TraceState MUST at all times be valid" (OpenTelemetry Trace API): a change that would
    // make it invalid returns it unchanged.

    /// This trace state with `key` set to `value` and moved to the front, as W3C Trace Context
    /// wants for a vendor's new position ("Modified keys MUST be moved to the beginning").
    ///
    /// Unchanged when the key or value is invalid, or when `key` is new and there are already
    /// ``maximumEntryCount`` entries.
    /// - Parameters:
    ///   - key: the vendor key, for example `rojo`.
    ///   - value: the opaque value.
    /// - Returns: the new trace state.
    public func inserting(key: String, value: String) -> TraceState {
        let entry = Entry(key: key, value: value)
        guard (try? Self.validate(entry)) != nil else { return self }
        let others = entries.filter { $0.key != key }
        guard others.count < Self.maximumEntryCount else { return self }
        return TraceState(validEntries: [entry] + others)
    }

    /// This trace state with the value of an existing `key` replaced and the entry moved to the
    /// front. Unchanged when `key` is absent or `value` is invalid.
    /// - Parameters:
    ///   - key: the vendor key.
    ///   - value: the new value.
    /// - Returns: the new trace state.
    public func updating(key: String, value: String) -> TraceState {
        guard self[key] != nil else { return self }
        return inserting(key: key, value: value)
    }

    /// This trace state without `key`'s entry (unchanged when there is none).
    /// - Parameter key: the vendor key.
    /// - Returns: the new trace state.
    public func removing(key: String) -> TraceState {
        TraceState(validEntries: entries.filter { $0.key != key })
    }

    /// A trace state with no entries.
    public static let empty = TraceState(validEntries: [])

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The header form: `key=value` members joined by commas.
    public var headerValue: String {
        entries.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The value for `key`, if present.
    public subscript(key: String) -> String? {
        entries.first { $0.key == key }?.value
    }
}
