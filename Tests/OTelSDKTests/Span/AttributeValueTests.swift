import OTelSDK
import Testing

@Suite("AttributeValue")
struct AttributeValueTests {
    @Test("equality follows what OTLP can tell apart")
    func equality() {
        #expect(AttributeValue.double(.nan) == .double(.nan))
        #expect(AttributeValue.doubleArray([1, .nan]) == .doubleArray([1, .nan]))
        #expect(AttributeValue.intArray([]) == .stringArray([]))
        #expect(AttributeValue.intArray([1]) != .doubleArray([1]))
        #expect(AttributeValue.int(1) != .double(1))
        #expect(AttributeValue.string("") != .stringArray([]))
    }

    @Test("literals pick the matching case")
    func literals() {
        let values: [AttributeValue] = ["s", true, 3, 2.5]
        #expect(values == [.string("s"), .bool(true), .int(3), .double(2.5)])
    }
}
