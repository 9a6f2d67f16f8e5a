/// The last string copied into the arena for one field, so that a run of spans with the
/// same name copies it once.
struct LastStringCopy {
    private var string: String?
    private var cString: UnsafeMutablePointer<CChar>?

    /// A NUL-terminated copy of `value` in `arena`: the previous one when `value` is the same.
    mutating func cString(for value: String, in arena: MessageArena) -> UnsafeMutablePointer<CChar> {
        if let cString, let string, string.hasSameUTF8(as: value) {
            return cString
        }
        let copy = arena.copy(value)
        string = value
        cString = copy
        return copy
    }
}
