import COTLPProto

/// Packs a batch of one signal into protobuf-c requests within a byte limit (split as
/// ``RequestSplitting`` says), the message tree built in an arena and packed into a buffer,
/// both reused from batch to batch. Not thread-safe.
final class HalvingRequestPacker {
    /// The largest request, in bytes, handed out.
    let maximumRequestBytes: Int
    /// Where the message trees are built: reset before each one.
    let arena = MessageArena()
    private var output: [UInt8] = []

    init(maximumRequestBytes: Int) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
    }

    /// Packs `items` into one or more requests and hands each to `body` in turn.
    /// - Parameters:
    ///   - items: the batch, or a part of it.
    ///   - build: builds the request message of some items, in ``arena``.
    ///   - itemCount: what a request's ``OTLPEncodedRequest/itemCount`` counts of its items;
    ///     default one each.
    ///   - body: called once per request; the bytes are valid only during the call.
    ///   - oversized: called with the batch position of each item too large alone, and the size
    ///     of its request.
    func pack<Item, Message>(
        _ items: ArraySlice<Item>,
        build: (ArraySlice<Item>) -> UnsafeMutablePointer<Message>,
        itemCount: (ArraySlice<Item>) -> Int = { $0.count },
        _ body: (OTLPEncodedRequest) throws -> Void,
        oversized: (_ index: Int, _ requestBytes: Int) -> Void
    ) rethrows {
        // The request `encode` built last, which `send` packs.
        var request: UnsafeMutablePointer<ProtobufCMessage>?
        var size = 0
        try RequestSplitting.split(
            items,
            maximumRequestBytes: maximumRequestBytes,
            encode: { part in
                arena.reset()
                request = messageHeader(build(part))
                size = protobuf_c_message_get_packed_size(request)
                return size
            },
            send: { part in
                if output.count < size { output = [UInt8](repeating: 0, count: max(size, output.count * 2)) }
                let packed = output.withUnsafeMutableBytes { buffer in
                    protobuf_c_message_pack(request, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                try output.withUnsafeBytes { buffer in
                    try body(
                        OTLPEncodedRequest(
                            bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<packed]),
                            itemCount: itemCount(part)
                        )
                    )
                }
            },
            oversized: oversized
        )
    }
}
