import Synchronization

/// A `Double` kept in an atomic word as its bit pattern: the processor has no atomic
/// floating-point add, so these retry a compare-and-exchange, which on a stripe only another
/// thread sharing it can make fail.
extension Atomic where Value == UInt64 {
    @inline(__always)
    func loadDouble() -> Double {
        Double(bitPattern: load(ordering: .relaxed))
    }

    @inline(__always)
    func add(_ amount: Double) {
        var current = load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = compareExchange(expected: current, desired: desired, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Lowers the value to `value` when it is smaller; a plain read when it is not (the usual case).
    @inline(__always)
    func lower(to value: Double) {
        replace(with: value, when: <)
    }

    /// Raises the value to `value` when it is larger; a plain read when it is not.
    @inline(__always)
    func raise(to value: Double) {
        replace(with: value, when: >)
    }

    @inline(__always)
    private func replace(with value: Double, when isBetter: (Double, Double) -> Bool) {
        var current = load(ordering: .relaxed)
        while isBetter(value, Double(bitPattern: current)) {
            let (exchanged, original) = compareExchange(
                expected: current,
                desired: value.bitPattern,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }
}
