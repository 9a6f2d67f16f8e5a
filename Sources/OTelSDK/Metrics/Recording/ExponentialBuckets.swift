/// The counts of one sign of a base-2 exponential histogram: a window of at most `maxSize`
/// consecutive bucket indexes, kept in a circular buffer so that the window can grow at either
/// end without moving counts. Not thread-safe: its stripe's lock guards it.
struct ExponentialBuckets {
    private let counts: UnsafeMutablePointer<UInt64>
    private let maxSize: Int
    /// The index stored at position 0 of the buffer.
    private var origin = 0
    private(set) var startIndex = 0
    private(set) var endIndex = -1

    var isEmpty: Bool { endIndex < startIndex }

    init(maxSize: Int) {
        self.maxSize = maxSize
        counts = .allocate(capacity: maxSize)
        counts.initialize(repeating: 0, count: maxSize)
    }

    /// Frees the buffer; its owner calls this once.
    func deallocate() {
        counts.deallocate()
    }

    @inline(__always)
    private func position(of index: Int) -> Int {
        let offset = (index - origin) % maxSize
        return offset < 0 ? offset + maxSize : offset
    }

    /// How many halvings of the scale make the window hold `index` too: 0 when it fits.
    func downscaleNeeded(toHold index: Int) -> Int {
        guard !isEmpty else { return 0 }
        var low = min(startIndex, index)
        var high = max(endIndex, index)
        var change = 0
        while high - low + 1 > maxSize {
            low >>= 1
            high >>= 1
            change += 1
        }
        return change
    }

    /// Adds `count` to bucket `index`, which must fit the window (see ``downscaleNeeded(toHold:)``).
    @inline(__always)
    mutating func add(_ count: UInt64, at index: Int) {
        if isEmpty {
            origin = index
            startIndex = index
            endIndex = index
        } else {
            startIndex = min(startIndex, index)
            endIndex = max(endIndex, index)
        }
        counts[position(of: index)] &+= count
    }

    /// The count of bucket `index` of the window.
    private func count(at index: Int) -> UInt64 {
        counts[position(of: index)]
    }

    /// Merges every `2^change` neighbouring buckets into one: the histogram's scale drops by
    /// `change`. Bucket `i` becomes `i >> change` (floor division, as the mapping's indexes do).
    /// In place, allocating nothing: the window is first turned so that it starts at position
    /// 0, then each count moves to its new bucket, never ahead of the ones still to move.
    mutating func downscale(by change: Int) {
        guard change > 0, !isEmpty else { return }
        let length = endIndex - startIndex + 1
        let first = position(of: startIndex)
        // Rotate left by `first` (three reversals): position k then holds bucket startIndex + k.
        reverse(0, maxSize - 1)
        reverse(0, maxSize - first - 1)
        reverse(maxSize - first, maxSize - 1)
        let newStart = startIndex >> change
        for offset in 0..<length {
            let count = counts[offset]
            counts[offset] = 0
            counts[((startIndex + offset) >> change) - newStart] &+= count
        }
        origin = newStart
        startIndex = newStart
        endIndex = endIndex >> change
    }

    private func reverse(_ low: Int, _ high: Int) {
        var low = low
        var high = high
        while low < high {
            let lowCount = counts[low]
            counts[low] = counts[high]
            counts[high] = lowCount
            low += 1
            high -= 1
        }
    }

    /// Empties the window (a delta collection).
    mutating func clear() {
        guard !isEmpty else { return }
        for index in startIndex...endIndex {
            counts[position(of: index)] = 0
        }
        startIndex = 0
        endIndex = -1
    }

    /// The window's counts as (offset, counts).
    func snapshot() -> (offset: Int, counts: [UInt64]) {
        guard !isEmpty else { return (0, []) }
        return (startIndex, (startIndex...endIndex).map(count(at:)))
    }
}
