import Synchronization

/// A bounded queue for many producer threads and one consumer thread, without locks.
///
/// Each slot carries a sequence number that says whose turn it is (Dmitry Vyukov's bounded
/// queue): a producer claims the next position with one compare-and-swap, which succeeds at
/// once unless another producer claimed it first, writes its element, and publishes it by
/// advancing the slot's sequence; the consumer takes elements in position order. A push
/// never blocks: when the ring is full it fails and the caller decides what to do.
///
/// Capacity is rounded up to a power of two so that a position maps to its slot with a mask.
// SPI rather than `package`: Benchmarks/ measures the ring alone, from a package of its own.
@_spi(Benchmarks)
public final class MPSCRingBuffer<Element>: @unchecked Sendable {
    /// The number of slots.
    public let capacity: Int
    private let mask: Int
    private let sequences: UnsafeMutablePointer<Atomic<Int>>
    private let elements: UnsafeMutablePointer<Element>
    /// The next position a producer claims; every push so far, successful ones only.
    ///
    /// Each position has cache lines of its own, so that producers and the consumer do not
    /// take each other's line away on every push and pop.
    private let enqueuePosition = CacheLineIsolated(Atomic<Int>(0))
    /// The next position the consumer takes; written by the consumer only.
    private let dequeuePosition = CacheLineIsolated(Atomic<Int>(0))

    /// Creates a ring.
    /// - Parameter minimumCapacity: at least this many slots (at least 2); rounded up to a power of two.
    public init(minimumCapacity: Int) {
        let capacity = Self.capacity(forMinimum: minimumCapacity)
        self.capacity = capacity
        self.mask = capacity - 1
        sequences = .allocate(capacity: capacity)
        for index in 0..<capacity {
            (sequences + index).initialize(to: Atomic(index))
        }
        elements = .allocate(capacity: capacity)
    }

    /// The capacity a ring made with `minimumCapacity` has: the next power of two, at least 2.
    public static func capacity(forMinimum minimumCapacity: Int) -> Int {
        var capacity = 2
        while capacity < minimumCapacity {
            capacity <<= 1
        }
        return capacity
    }

    deinit {
        while popShared() != nil {}
        sequences.deinitialize(count: capacity)
        sequences.deallocate()
        elements.deallocate()
    }

    /// Adds `element` at the tail and returns the position it took (0 for the first element
    /// ever pushed); returns nil, without waiting, when the ring is full. Safe from any number
    /// of threads at once.
    public func push(_ element: consuming Element) -> Int? {
        guard let position = claimPosition() else { return nil }
        publish(element, at: position)
        return position
    }

    /// Moves `element` in at the tail and returns the position it took, leaving nil behind;
    /// when the ring is full, returns nil and leaves `element` as it was, so that the caller
    /// may try again without having copied it. Returns nil for a nil `element`, pushing
    /// nothing. Safe from any number of threads at once.
    public func push(taking element: inout Element?) -> Int? {
        guard element != nil, let position = claimPosition() else { return nil }
        publish(element.take()!, at: position)
        return position
    }

    /// Claims the next position for a push, or returns nil when the ring is full.
    @inline(__always)
    private func claimPosition() -> Int? {
        var position = enqueuePosition.pointer.pointee.load(ordering: .relaxed)
        while true {
            let slot = position & mask
            let sequence = sequences[slot].load(ordering: .acquiring)
            let lag = sequence - position
            if lag == 0 {
                // The slot is free for this position: claim it.
                // Sequentially consistent, so that a consumer that publishes a wake-up threshold
                // and then reads `pushedCount` cannot miss this push (see BatchSpanProcessor).
                let (exchanged, current) = enqueuePosition.pointer.pointee.weakCompareExchange(
                    expected: position,
                    desired: position + 1,
                    successOrdering: .sequentiallyConsistent,
                    failureOrdering: .relaxed
                )
                if exchanged {
                    return position
                }
                position = current
            } else if lag < 0 {
                // The slot still holds the element from one lap ago: the ring is full.
                return nil
            } else {
                // Another producer claimed this position; try the next one.
                position = enqueuePosition.pointer.pointee.load(ordering: .relaxed)
            }
        }
    }

    /// Writes `element` into the claimed `position`'s slot and hands it to the consumer.
    @inline(__always)
    private func publish(_ element: consuming Element, at position: Int) {
        let slot = position & mask
        (elements + slot).initialize(to: element)
        sequences[slot].store(position + 1, ordering: .releasing)
    }

    /// Takes the element at the head, or nil when the ring is empty (or the next producer
    /// has claimed its slot but not yet written it). Only one thread may pop.
    public func pop() -> Element? {
        let position = dequeuePosition.pointer.pointee.load(ordering: .relaxed)
        let slot = position & mask
        let sequence = sequences[slot].load(ordering: .acquiring)
        guard sequence == position + 1 else { return nil }
        let element = (elements + slot).move()
        sequences[slot].store(position + capacity, ordering: .releasing)
        dequeuePosition.pointer.pointee.store(position + 1, ordering: .releasing)
        return element
    }

    /// Takes the element at the head, or nil when the ring is empty; unlike ``pop()``, safe
    /// from several threads at once (a compare-and-swap claims the position), for rings that
    /// are used as a pool with many takers.
    public func popShared() -> Element? {
        var position = dequeuePosition.pointer.pointee.load(ordering: .relaxed)
        while true {
            let slot = position & mask
            let sequence = sequences[slot].load(ordering: .acquiring)
            let lag = sequence - (position + 1)
            if lag == 0 {
                let (exchanged, current) = dequeuePosition.pointer.pointee.weakCompareExchange(
                    expected: position,
                    desired: position + 1,
                    ordering: .relaxed
                )
                if exchanged {
                    let element = (elements + slot).move()
                    sequences[slot].store(position + capacity, ordering: .releasing)
                    return element
                }
                position = current
            } else if lag < 0 {
                return nil
            } else {
                position = dequeuePosition.pointer.pointee.load(ordering: .relaxed)
            }
        }
    }

    /// How many elements were ever pushed (claimed positions, some perhaps not yet written).
    public var pushedCount: Int { enqueuePosition.pointer.pointee.load(ordering: .sequentiallyConsistent) }

    /// How many elements were ever popped.
    public var poppedCount: Int { dequeuePosition.pointer.pointee.load(ordering: .acquiring) }

    /// How many elements are in the ring, including claimed slots not yet written.
    public var count: Int { max(0, pushedCount - poppedCount) }
}
