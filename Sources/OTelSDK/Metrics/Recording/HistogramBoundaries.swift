/// An explicit-bucket histogram's boundaries, shared by the series of one instrument: bucket
/// `i` counts the values in (`boundaries[i-1]`, `boundaries[i]`], the last one those above
/// every boundary.
final class HistogramBoundaries: @unchecked Sendable {
    let values: [Double]
    /// The same values, read by the recording path without an array's checks.
    let pointer: UnsafeMutablePointer<Double>
    var bucketCount: Int { values.count + 1 }

    /// - Parameter values: increasing, finite boundaries.
    init(_ values: [Double]) {
        precondition(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "boundaries must increase")
        precondition(values.allSatisfy(\.isFinite), "boundaries must be finite")
        self.values = values
        pointer = .allocate(capacity: max(values.count, 1))
        pointer.initialize(from: values, count: values.count)
    }

    deinit {
        pointer.deallocate()
    }

    /// The bucket of `value`: the first whose upper boundary is at least `value`.
    @inline(__always)
    func bucket(of value: Double) -> Int {
        // A linear scan: with the usual 15 boundaries and values in the lower buckets it
        // ends sooner than a binary search, and its branches predict.
        var index = 0
        let count = values.count
        while index < count, value > pointer[index] {
            index &+= 1
        }
        return index
    }
}
