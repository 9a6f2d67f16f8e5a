import Testing
import Tracing

@testable import OTelSDK

@Suite("Merging an attribute update with what the span holds")
struct SpanAttributeMergeTests {
    private func dictionary(_ attributes: SpanAttributes) -> [String: SpanAttribute] {
        var result: [String: SpanAttribute] = [:]
        attributes.forEach { key, value in result[key] = value }
        return result
    }

    @Test("changed: a key the update set, replaced or removed, and no other")
    func changedKeys() {
        let merge = SpanAttributeMerge(
            before: SpanAttributes(["kept": .int64(1), "replaced": .int64(2), "removed": .int64(3)]),
            updated: SpanAttributes(["kept": .int64(1), "replaced": .int64(20), "added": .bool(true)])
        )
        #expect(!merge.changed("kept"))
        #expect(merge.changed("replaced"))
        #expect(merge.changed("removed"))
        #expect(merge.changed("added"))
        #expect(!merge.changed("never-there"))
    }

    @Test("on the span's own attributes with nothing set meanwhile, the update's result is stored as it is")
    func ownAttributesUnchanged() {
        let before = SpanAttributes(["a": .int64(1)])
        let updated = SpanAttributes(["a": .int64(1), "b": .string("two")])
        let merged = SpanAttributeMerge(before: before, updated: updated).merged(
            with: SpanRecorder.noAttributes,
            updatedTheSpansOwn: true,
            changedMeanwhile: false,
            typedMeanwhile: []
        )
        #expect(dictionary(merged.attributes) == ["a": .int64(1), "b": .string("two")])
        #expect(dictionary(merged.existing) == ["a": .int64(1)])
    }

    @Test("on the span's own attributes, what others set meanwhile is kept unless the update changed that key")
    func ownAttributesWithConcurrentSets() {
        let merge = SpanAttributeMerge(
            before: SpanAttributes(["a": .int64(1)]),
            updated: SpanAttributes(["a": .int64(1), "contested": .string("update")])
        )
        // While the update ran, the span looked empty to others, who set these.
        let setMeanwhile = SpanAttributes(["contested": .string("other"), "theirs": .int64(7)])
        let merged = merge.merged(
            with: setMeanwhile,
            updatedTheSpansOwn: true,
            changedMeanwhile: true,
            typedMeanwhile: []
        )
        #expect(
            dictionary(merged.attributes) == ["a": .int64(1), "contested": .string("update"), "theirs": .int64(7)]
        )
        // Without the generation changing, what the span holds is not looked at.
        let unchanged = merge.merged(
            with: setMeanwhile,
            updatedTheSpansOwn: true,
            changedMeanwhile: false,
            typedMeanwhile: []
        )
        #expect(dictionary(unchanged.attributes) == ["a": .int64(1), "contested": .string("update")])
    }

    @Test("on a copy, only what the update changed is applied to what the span holds now, removals included")
    func copyAppliesChanges() {
        let merge = SpanAttributeMerge(
            before: SpanAttributes(["same": .int64(1), "removed": .int64(2), "replaced": .int64(3)]),
            updated: SpanAttributes(["same": .int64(1), "replaced": .int64(30), "added": .int64(4)])
        )
        // Another update, still running, had these stored meanwhile.
        let current = SpanAttributes([
            "same": .int64(100), "removed": .int64(2), "replaced": .int64(3), "others": .int64(5),
        ])
        let merged = merge.merged(with: current, updatedTheSpansOwn: false, changedMeanwhile: true, typedMeanwhile: [])
        #expect(
            dictionary(merged.attributes)
                == ["same": .int64(100), "replaced": .int64(30), "added": .int64(4), "others": .int64(5)]
        )
        #expect(dictionary(merged.existing) == dictionary(current))
    }

    @Test("typed attributes set meanwhile join, except on a key the update changed")
    func typedJoin() {
        let merge = SpanAttributeMerge(
            before: SpanRecorder.noAttributes,
            updated: SpanAttributes(["contested": .string("update")])
        )
        let merged = merge.merged(
            with: SpanRecorder.noAttributes,
            updatedTheSpansOwn: true,
            changedMeanwhile: true,
            typedMeanwhile: [Attribute("contested", .string("typed")), Attribute("typed", .int(8))]
        )
        #expect(dictionary(merged.attributes) == ["contested": .string("update"), "typed": .int64(8)])
    }

    @Test("limited: under the limit unchanged; over it the existing keys first, the rest counted dropped")
    func limit() {
        let attributes = SpanAttributes(["a": .int64(1), "b": .int64(2), "c": .int64(3), "d": .int64(4)])
        let under = SpanAttributeMerge.limited(attributes, keepingFirstThoseIn: SpanRecorder.noAttributes, limit: 4)
        #expect(under.dropped == 0 && dictionary(under.kept) == dictionary(attributes))

        let existing = SpanAttributes(["c": .int64(0), "d": .int64(0), "gone": .int64(0)])
        let over = SpanAttributeMerge.limited(attributes, keepingFirstThoseIn: existing, limit: 2)
        #expect(over.dropped == 2)
        // The existing keys, with the new values; a key no longer there takes no room.
        #expect(dictionary(over.kept) == ["c": .int64(3), "d": .int64(4)])

        let none = SpanAttributeMerge.limited(attributes, keepingFirstThoseIn: existing, limit: 0)
        #expect(none.dropped == 4 && none.kept.isEmpty)
    }
}
