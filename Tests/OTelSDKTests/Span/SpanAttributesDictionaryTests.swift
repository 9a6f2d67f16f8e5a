import Testing
import Tracing

@testable import OTelSDK

@Suite("SpanAttributes' dictionary")
struct SpanAttributesDictionaryTests {
    @Test("reached in place on this version of swift-distributed-tracing, so recycled spans keep their room")
    func reachable() {
        #expect(SpanAttributes.wrapsItsDictionaryDirectly)
        var attributes = SpanAttributes(["a": .int64(1), "b": .string("two")])
        var seen: [String: SpanAttribute] = [:]
        let read: Void? = attributes.withDictionary { dictionary in seen = dictionary }
        #expect(read != nil)
        #expect(seen == ["a": .int64(1), "b": .string("two")])
        let changed: Void? = attributes.withMutableDictionary { dictionary in
            dictionary["c"] = .bool(true)
        }
        #expect(changed != nil)
        #expect(attributes.count == 3 && attributes.get("c") == .bool(true))
    }

    @Test("emptied keeping the room the attributes took")
    func removeAllKeepsRoom() {
        var attributes = SpanAttributes([String: SpanAttribute](minimumCapacity: 8))
        for index in 0..<8 {
            attributes["key \(index)"] = index
        }
        let room = attributes.removeAllKeepingCapacity()
        #expect(attributes.isEmpty)
        #expect(room ?? 0 >= 8)
        attributes["again"] = "value"
        #expect(attributes.count == 1 && attributes.get("again") == .string("value"))
    }

    @Test("emptying attributes that a copy shares leaves the copy whole")
    func removeAllLeavesCopies() {
        var attributes = SpanAttributes(["kept": .string("by the copy")])
        let copy = attributes
        #expect(attributes.removeAllKeepingCapacity() != nil)
        #expect(attributes.isEmpty)
        #expect(copy.count == 1 && copy.get("kept") == .string("by the copy"))
    }
}
