import OTelSDK

extension AttributeValue {
    /// Whether both encode to the same bytes: stricter than `==`, which calls 0.0 and -0.0
    /// equal, empty arrays of different types equal, and canonically equivalent strings equal.
    func isIdentical(to other: AttributeValue) -> Bool {
        switch (self, other) {
        case (.string(let left), .string(let right)): left.hasSameUTF8(as: right)
        case (.bool(let left), .bool(let right)): left == right
        case (.int(let left), .int(let right)): left == right
        case (.double(let left), .double(let right)): left.bitPattern == right.bitPattern
        case (.stringArray(let left), .stringArray(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.hasSameUTF8(as: $1) }
        case (.boolArray(let left), .boolArray(let right)): left == right
        case (.intArray(let left), .intArray(let right)): left == right
        case (.doubleArray(let left), .doubleArray(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.bitPattern == $1.bitPattern }
        default: false
        }
    }
}
