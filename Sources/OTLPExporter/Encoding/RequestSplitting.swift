/// How the log and metric encoders keep requests within a byte limit: a batch whose request
/// would exceed it is cut in halves until each part fits; an item too large for a request of
/// its own is left out and reported.
enum RequestSplitting {
    /// Encodes `items` as one request, or its halves, and so on down.
    /// - Parameters:
    ///   - items: the batch, or a part of it.
    ///   - maximumRequestBytes: the limit.
    ///   - encode: encodes some items as one request, keeping it for `send`; returns its size.
    ///   - send: hands out the request just encoded for these items.
    ///   - oversized: called with the batch position of each item too large alone, and the size
    ///     of its request.
    static func split<Item>(
        _ items: ArraySlice<Item>,
        maximumRequestBytes: Int,
        encode: (ArraySlice<Item>) -> Int,
        send: (ArraySlice<Item>) throws -> Void,
        oversized: (_ index: Int, _ requestBytes: Int) -> Void
    ) rethrows {
        guard !items.isEmpty else { return }
        let size = encode(items)
        if size <= maximumRequestBytes {
            try send(items)
        } else if items.count == 1 {
            oversized(items.startIndex, size)
        } else {
            let middle = items.startIndex + items.count / 2
            for half in [items[..<middle], items[middle...]] {
                try split(
                    half,
                    maximumRequestBytes: maximumRequestBytes,
                    encode: encode,
                    send: send,
                    oversized: oversized
                )
            }
        }
    }
}
