#if canImport(Glibc)
import Glibc
#endif

/// Paces a producer loop to a rate (W3, W4, L2): before every 64th item it sleeps until that
/// item is due. Without a rate it never sleeps.
struct Pacer {
    let rate: Int?
    let start: ContinuousClock.Instant

    /// Waits, if need be, until item `index` is due.
    func pace(_ index: Int) {
        guard let rate, index % 64 == 0 else { return }
        let due = start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
        let now = ContinuousClock.now
        if now < due { usleep(UInt32((due - now).components.attoseconds / 1_000_000_000_000)) }
    }
}
