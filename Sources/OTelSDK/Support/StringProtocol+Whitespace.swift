extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    package func trimmingOWS() -> SubSequence {
        trimming { $0 == " " || $0 == "\t" }
    }

    /// Without leading and trailing whitespace of any kind, line breaks included.
    package func trimmingWhitespace() -> SubSequence {
        trimming(\.isWhitespace)
    }

    private func trimming(_ isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
