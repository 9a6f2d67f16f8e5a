import OTelSDK
import Testing

@Suite("Random id generator")
struct RandomIDGeneratorTests {
    @Test("ids are valid and distinct across threads")
    func distinct() async {
        let generator = RandomIDGenerator()
        let ids = await withTaskGroup(of: [TraceID].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<10_000).map { _ in generator.newTraceID() } }
            }
            return await group.reduce(into: [TraceID]()) { $0 += $1 }
        }
        #expect(ids.allSatisfy { $0.isValid })
        #expect(Set(ids).count == ids.count)
        let spanIDs = (0..<10_000).map { _ in generator.newSpanID() }
        #expect(spanIDs.allSatisfy { $0.isValid })
        #expect(Set(spanIDs).count == spanIDs.count)
    }

    @Test("every bit of a trace id varies")
    func bitsVary() {
        let generator = RandomIDGenerator()
        var highOr: UInt64 = 0
        var highAnd: UInt64 = .max
        var lowOr: UInt64 = 0
        var lowAnd: UInt64 = .max
        for _ in 0..<1_000 {
            let id = generator.newTraceID()
            highOr |= id.high
            highAnd &= id.high
            lowOr |= id.low
            lowAnd &= id.low
        }
        #expect(highOr == .max && lowOr == .max && highAnd == 0 && lowAnd == 0)
    }
}
