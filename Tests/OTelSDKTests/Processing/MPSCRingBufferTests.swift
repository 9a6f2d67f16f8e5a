import Foundation
import Testing

@_spi(Benchmarks) @testable import OTelSDK

@Suite("MPSC ring buffer")
struct MPSCRingBufferTests {
    @Test("capacity is rounded up to a power of two")
    func capacity() {
        #expect(MPSCRingBuffer<Int>(minimumCapacity: 0).capacity == 2)
        #expect(MPSCRingBuffer<Int>(minimumCapacity: 5).capacity == 8)
        #expect(MPSCRingBuffer<Int>(minimumCapacity: 8192).capacity == 8192)
    }

    @Test("one thread: first in, first out; empty and full edges")
    func fifoAndEdges() {
        let ring = MPSCRingBuffer<String>(minimumCapacity: 4)
        #expect(ring.pop() == nil)
        for index in 0..<4 {
            #expect(ring.push("item \(index)") == index)
        }
        #expect(ring.push("one too many") == nil)
        #expect(ring.count == 4)
        #expect(ring.pop() == "item 0")
        #expect(ring.push("item 4") == 4)
        #expect(ring.push("one too many again") == nil)
        #expect((1...4).map { _ in ring.pop() } == ["item 1", "item 2", "item 3", "item 4"])
        #expect(ring.pop() == nil)
        #expect(ring.count == 0)
        #expect(ring.pushedCount == 5 && ring.poppedCount == 5)
    }

    @Test("a push that takes its element leaves it with the caller when the ring is full")
    func pushTaking() {
        let ring = MPSCRingBuffer<String>(minimumCapacity: 2)
        var pending: String? = "first"
        #expect(ring.push(taking: &pending) == 0)
        #expect(pending == nil)
        #expect(ring.push(taking: &pending) == nil, "nothing to push")
        #expect(ring.count == 1)
        _ = ring.push("second")
        pending = "third"
        #expect(ring.push(taking: &pending) == nil)
        #expect(pending == "third", "a full ring must not take the element")
        #expect(ring.pop() == "first")
        #expect(ring.push(taking: &pending) == 2)
        #expect(pending == nil)
        #expect([ring.pop(), ring.pop(), ring.pop()] == ["second", "third", nil])
    }

    @Test("wraps around many times")
    func wrapAround() {
        let ring = MPSCRingBuffer<Int>(minimumCapacity: 8)
        var next = 0
        var expected = 0
        for round in 0..<10_000 {
            let batch = round % 8 + 1
            for _ in 0..<batch {
                #expect(ring.push(next) == next)
                next += 1
            }
            for _ in 0..<batch {
                #expect(ring.pop() == expected)
                expected += 1
            }
        }
        #expect(ring.pop() == nil)
    }

    @Test("elements left in the ring are released with it")
    func releasesElements() {
        final class Tracked {}
        weak var observed: Tracked?
        do {
            let ring = MPSCRingBuffer<Tracked>(minimumCapacity: 4)
            let tracked = Tracked()
            observed = tracked
            #expect(ring.push(tracked) != nil)
        }
        #expect(observed == nil)
    }

    @Test("as a pool: 2 threads give, 2 threads take, each item taken once")
    func sharedPop() {
        let ring = MPSCRingBuffer<Int>(minimumCapacity: 256)
        let perGiver = 50_000
        let taken = LockedBox<[Int]>([])
        let givers = (0..<2).map { giver in
            Thread {
                for index in 0..<perGiver {
                    while ring.push(giver * perGiver + index) == nil {}
                }
            }
        }
        let takers = (0..<2).map { _ in
            Thread {
                var mine: [Int] = []
                while mine.count < perGiver {
                    if let item = ring.popShared() { mine.append(item) }
                }
                taken.withLock { $0 += mine }
            }
        }
        (givers + takers).forEach { $0.start() }
        while taken.withLock({ $0.count }) < 2 * perGiver {
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(taken.withLock { $0.sorted() } == Array(0..<(2 * perGiver)))
    }

    @Test("4 producers x 250,000 pushes, one consumer: each item once, each producer's order kept")
    func stress() {
        let producers = 4
        let perProducer = 250_000
        let ring = MPSCRingBuffer<Int>(minimumCapacity: 1024)
        let threads = (0..<producers).map { producer in
            Thread {
                for index in 0..<perProducer {
                    // Each item says who pushed it and its place in that producer's sequence.
                    while ring.push(producer << 32 | index) == nil {}
                }
            }
        }
        threads.forEach { $0.start() }

        var nextIndex = [Int](repeating: 0, count: producers)
        var received = 0
        var outOfOrder = 0
        while received < producers * perProducer {
            guard let item = ring.pop() else { continue }
            let producer = item >> 32
            let index = item & 0xFFFF_FFFF
            if index != nextIndex[producer] { outOfOrder += 1 }
            nextIndex[producer] = index + 1
            received += 1
        }
        #expect(outOfOrder == 0)
        #expect(nextIndex == [Int](repeating: perProducer, count: producers))
        #expect(ring.pop() == nil)
    }
}
