#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Random trace and span ids from a per-thread xoshiro256** generator, seeded from the
/// system's random source.
///
/// Per-thread state means no atomic or lock is shared between app threads, and no system
/// call per id. All 16 bytes of a trace id are random, so the W3C `random` flag holds and
/// ``TraceIDRatioBasedSampler`` sees uniformly distributed ids.
public struct RandomIDGenerator: IDGenerator {
    /// Creates the generator.
    public init() {}

    /// True: all 16 bytes of every trace id are random.
    public var generatesRandomTraceIDs: Bool { true }

    public func newTraceID() -> TraceID {
        let state = ThreadRandomState.current
        var high: UInt64
        var low: UInt64
        repeat {
            high = state.pointee.next()
            low = state.pointee.next()
        } while high == 0 && low == 0
        return TraceID(high: high, low: low)
    }

    public func newSpanID() -> SpanID {
        let state = ThreadRandomState.current
        var value: UInt64
        repeat {
            value = state.pointee.next()
        } while value == 0
        return SpanID(value)
    }
}

/// xoshiro256** state, one per thread, reached through a pthread key.
struct ThreadRandomState {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    private init() {
        var system = SystemRandomNumberGenerator()
        repeat {
            s0 = system.next()
            s1 = system.next()
            s2 = system.next()
            s3 = system.next()
        } while s0 | s1 | s2 | s3 == 0
    }

    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { state in
            state?.assumingMemoryBound(to: ThreadRandomState.self).deallocate()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// This thread's state, created on first use and freed when the thread exits.
    static var current: UnsafeMutablePointer<ThreadRandomState> {
        if let existing = pthread_getspecific(key) {
            return existing.assumingMemoryBound(to: ThreadRandomState.self)
        }
        let state = UnsafeMutablePointer<ThreadRandomState>.allocate(capacity: 1)
        state.initialize(to: ThreadRandomState())
        pthread_setspecific(key, state)
        return state
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
