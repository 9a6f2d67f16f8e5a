#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Whether both strings are the same UTF-8 bytes, which is what they encode to. Not `==`:
    /// that compares by Unicode canonical equivalence, so "é" as one scalar equals "e" with a
    /// combining accent, and reusing one's bytes for the other would change what is sent.
    @inline(__always)
    func hasSameUTF8(as other: String) -> Bool {
        // The same representation is the same bytes: the same small string held inline, or the
        // same storage. That is how a repeated attribute usually arrives, and it is decided
        // without reading a byte.
        (MemoryLayout<String>.size == 16 && Self.representation(of: self) == Self.representation(of: other))
            || hasSameUTF8Bytes(as: other)
    }

    private func hasSameUTF8Bytes(as other: String) -> Bool {
        let compared = utf8.withContiguousStorageIfAvailable { left in
            other.utf8.withContiguousStorageIfAvailable { right in
                left.count == right.count
                    && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
            }
        }
        if let compared = compared ?? nil {
            return compared
        }
        return utf8.elementsEqual(other.utf8)
    }

    /// The two words a 64-bit string is made of (its count and flags, and its inline bytes or
    /// storage).
    @inline(__always)
    private static func representation(of string: String) -> (UInt64, UInt64) {
        withUnsafeBytes(of: string) { words in
            (words.load(as: UInt64.self), words.load(fromByteOffset: 8, as: UInt64.self))
        }
    }
}
