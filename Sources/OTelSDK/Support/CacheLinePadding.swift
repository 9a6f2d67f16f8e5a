/// 128 unused bytes: stored first and last in a class whose fields every span reads, it keeps
/// the neighbouring heap objects off their cache lines. A neighbour that another thread writes
/// on every span (the resource, whose reference count the batch worker changes as it freezes
/// and releases each span) would otherwise take those lines from every app thread in turn.
///
/// 128 bytes, because x86 processors fetch 64-byte lines in aligned pairs (see ``CacheLineIsolated``).
struct CacheLinePadding {
    private let bytes:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
        ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
