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

    /// The entries, most recently updated first.
    public let entries: [Entry]

    /// Creates a trace state from its entries.
    /// - Parameter entries: the entries, most recently updated first.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The most entries a trace state may hold (W3C Trace Context).
    public static let maximumEntryCount = 32

    /// Parses a `tracestate` header value by the W3C Trace Context rules, or returns nil when
    /// it breaks them (a bad key or value, a repeated key, more than 32 entries).
    ///
    /// Empty and whitespace-only members are allowed and skipped, as the specification says.
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
            guard !entries.contains(where: { $0.key == entry.key }) else { return nil }
            entries.append(entry)
        }
        guard entries.count <= Self.maximumEntryCount else { return nil }
        self.init(entries: entries)
    }

    /// `simple-key` or `tenant-id@system-id` (W3C Trace Context, section tracestate).
    static func isValidKey(_ key: ArraySlice<UInt8>) -> Bool {
        func isKeyCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"):
                true
            default: false
            }
        }
        func isLowercaseLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }

        guard let first = key.first, key.allSatisfy({ isKeyCharacter($0) || $0 == UInt8(ascii: "@") }) else {
            return false
        }
        let parts = key.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return key.count <= 256 && isLowercaseLetter(first)
        case 2:
            let tenant = parts[0]
            let system = parts[1]
            return (1...241).contains(tenant.count) && (1...14).contains(system.count)
                && isLowercaseLetter(system.first!)
        default:
            return false
        }
    }

    /// 1 to 256 printable ASCII characters other than `,` and `=`, not ending in a space.
    static func isValidValue(_ value: ArraySlice<UInt8>) -> Bool {
        guard (1...256).contains(value.count), value.last != 0x20 else { return false }
        return value.allSatisfy { byte in
            (0x20...0x7E).contains(byte) && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
        }
    }

    /// A trace state with no entries.
    public static let empty = TraceState()

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
