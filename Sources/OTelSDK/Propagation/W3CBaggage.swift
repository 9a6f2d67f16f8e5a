/// The W3C Baggage `baggage` header: `key=value;property, key2=value2`, values percent-encoded.
enum W3CBaggage {
    static let headerName = "baggage"
    /// The specification's minimums a platform must accept; longer headers are refused whole.
    static let maximumMemberCount = 64
    static let maximumHeaderBytes = 8192

    /// The baggage the header carries, or nil when it is malformed.
    static func parse(_ header: String) -> Baggage? {
        guard header.utf8.count <= maximumHeaderBytes else { return nil }
        var entries: [Baggage.Entry] = []
        for member in header.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = member.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            let pair = parts[0].trimmingOWS()
            if pair.isEmpty, parts.count == 1 { continue }
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let key = pair[..<equals].trimmingOWS()
            let rawValue = pair[pair.index(after: equals)...].trimmingOWS()
            guard !key.isEmpty, key.utf8.allSatisfy(isTokenCharacter),
                rawValue.utf8.allSatisfy(isBaggageOctet),
                let value = PercentEncoding.decode(rawValue)
            else { return nil }
            let metadata = parts.count > 1 ? String(parts[1].trimmingOWS()) : nil
            let entry = Baggage.Entry(key: String(key), value: value, metadata: metadata)
            // A repeated key: the last value wins, in the first one's place.
            if let earlier = entries.firstIndex(where: { $0.key == entry.key }) {
                entries[earlier] = entry
            } else {
                entries.append(entry)
            }
        }
        guard entries.count <= maximumMemberCount else { return nil }
        return Baggage(entries: entries)
    }

    /// The header value for `baggage`.
    static func format(_ baggage: Baggage) -> String {
        baggage.entries.map { entry in
            let member = "\(entry.key)=\(PercentEncoding.encode(entry.value, keeping: isBaggageOctet))"
            return entry.metadata.map { "\(member);\($0)" } ?? member
        }.joined(separator: ",")
    }

    /// RFC 7230 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// `baggage-octet`: printable ASCII except space, `"`, `,`, `;` and `\`.
    static func isBaggageOctet(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && byte != 0x22 && byte != 0x2C && byte != 0x3B && byte != 0x5C
    }
}
