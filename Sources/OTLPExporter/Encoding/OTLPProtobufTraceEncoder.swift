import COTLPProto
import OTelSDK

/// Encodes batches of finished spans into OTLP `ExportTraceServiceRequest` protobuf bytes.
///
/// Spans are grouped by resource and instrumentation scope (one ResourceSpans per resource,
/// one ScopeSpans per scope), keeping the batch order within each group. The protobuf-c
/// message tree is built in an arena and packed into a buffer, both reused from batch to
/// batch, so a steady stream of batches does not allocate per span.
///
/// A batch whose request would exceed ``maximumRequestBytes`` is cut into several requests,
/// each under the limit; together they carry every span exactly once. A span too large for a
/// request of its own is left out and reported in ``OTLPEncodingResult/oversizedSpans``.
///
/// An encoder is not thread-safe: give each exporting thread its own.
public final class OTLPProtobufTraceEncoder {
    /// 4 MiB, gRPC's default maximum message size.
    public static let defaultMaximumRequestBytes = 4 * 1024 * 1024

    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    public let maximumRequestBytes: Int

    /// Where batches are cut when they can be: a run of spans grows no larger than this, but
    /// a single span up to ``maximumRequestBytes`` still goes out in a request of its own.
    package let preferredRequestBytes: Int

    private let arena = MessageArena()
    private var builder: MessageTreeBuilder
    private var grouping = SpanGrouping()
    private var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    // The message tree of the current batch, in the order of `grouping.order`.
    private var spanMessages: UnsafeMutablePointer<UnsafeMutablePointer<PrepackedSpan>?>?
    private var scopeSpansMessages: [UnsafeMutablePointer<PrepackedScopeSpans>] = []
    private var resourceSpansMessages: [UnsafeMutablePointer<PrepackedResourceSpans>] = []
    private var wholeRequest: UnsafeMutablePointer<PrepackedExportRequest>?
    private var requestTemplate = PrepackedExportRequest()

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to
    ///   ``defaultMaximumRequestBytes`` (4 MiB).
    public convenience init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        self.init(maximumRequestBytes: maximumRequestBytes, preferredRequestBytes: maximumRequestBytes)
    }

    /// Creates an encoder that cuts batches at `preferredRequestBytes` where it can.
    package init(maximumRequestBytes: Int, preferredRequestBytes: Int) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
        self.preferredRequestBytes = min(max(1, preferredRequestBytes), maximumRequestBytes)
        self.builder = MessageTreeBuilder(arena: arena)
        otlp_prepacked__v1__export_trace_service_request__init(&requestTemplate)
    }

    deinit {
        output.deallocate()
    }

    /// Encodes `spans` into one or more requests and hands each to `body` in turn.
    ///
    /// - Parameters:
    ///   - spans: the batch.
    ///   - body: called once per request; the bytes are valid only during the call.
    /// - Returns: how many requests and spans were produced, and which spans were too large.
    @discardableResult
    public func encode(
        _ spans: [SpanData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> OTLPEncodingResult {
        guard !spans.isEmpty else {
            return OTLPEncodingResult(requestCount: 0, encodedSpanCount: 0, oversizedSpans: [])
        }
        buildTree(spans)
        let request = wholeRequest!
        // Most batches are well under the limit: packed at once, into room for the bound,
        // without the walk that sizing the tree would take. Only a batch that might not fit
        // is sized, and cut if it does not.
        let bound = builder.packedSizeBound
        if bound <= preferredRequestBytes {
            try body(pack(request, room: bound, isBound: true, spanCount: spans.count))
            return OTLPEncodingResult(requestCount: 1, encodedSpanCount: spans.count, oversizedSpans: [])
        }
        let size = protobuf_c_message_get_packed_size(messageHeader(request))
        if size <= preferredRequestBytes {
            try body(pack(request, room: size, spanCount: spans.count))
            return OTLPEncodingResult(requestCount: 1, encodedSpanCount: spans.count, oversizedSpans: [])
        }
        return try encodeSplit(spans, body)
    }

    // MARK: Building the tree

    /// Builds the message tree of `spans`, and the request holding all of it, into the arena.
    // SPI rather than `package`: Benchmarks/ times building and packing apart, from a package
    // of its own.
    @_spi(Benchmarks)
    public func buildTree(_ spans: [SpanData]) {
        builder.reset()
        grouping.group(spans)
        let order = grouping.order
        let messages = arena.allocate(UnsafeMutablePointer<PrepackedSpan>?.self, count: order.count)
        builder.spans(spans, in: order, into: messages)
        spanMessages = messages

        scopeSpansMessages.removeAll(keepingCapacity: true)
        for group in grouping.groups {
            let scopeSpans = arena.allocate(PrepackedScopeSpans.self)
            otlp_prepacked__v1__scope_spans__init(scopeSpans)
            scopeSpans.pointee.scope = builder.common.scope(group.scope)
            scopeSpans.pointee.schema_url = builder.common.schemaURL(group.scope.schemaURL)
            scopeSpans.pointee.n_spans = group.count
            scopeSpans.pointee.spans = messages + group.start
            scopeSpansMessages.append(scopeSpans)
        }

        resourceSpansMessages.removeAll(keepingCapacity: true)
        var groupIndex = 0
        for _ in 0..<grouping.resourceCount {
            let firstGroup = grouping.groups[groupIndex]
            var groupCount = 0
            while groupIndex + groupCount < grouping.groups.count,
                grouping.groups[groupIndex + groupCount].resourceIndex == firstGroup.resourceIndex
            {
                groupCount += 1
            }
            let resourceSpans = arena.allocate(PrepackedResourceSpans.self)
            otlp_prepacked__v1__resource_spans__init(resourceSpans)
            resourceSpans.pointee.resource = builder.common.resource(firstGroup.resource)
            resourceSpans.pointee.schema_url = builder.common.schemaURL(firstGroup.resource.schemaURL)
            resourceSpans.pointee.n_scope_spans = groupCount
            let scopeSpansList = arena.allocate(UnsafeMutablePointer<PrepackedScopeSpans>?.self, count: groupCount)
            for offset in 0..<groupCount {
                (scopeSpansList + offset).initialize(to: scopeSpansMessages[groupIndex + offset])
            }
            resourceSpans.pointee.scope_spans = scopeSpansList
            resourceSpansMessages.append(resourceSpans)
            groupIndex += groupCount
        }

        let request = arena.allocate(PrepackedExportRequest.self)
        request.initialize(to: requestTemplate)
        request.pointee.n_resource_spans = resourceSpansMessages.count
        request.pointee.resource_spans = builder.common.pointerArray(resourceSpansMessages) { $0 }
        wholeRequest = request
    }

    /// Packs the whole tree built by the last ``buildTree(_:)`` again; returns its size.
    // SPI rather than `package`, as for `buildTree(_:)`.
    @_spi(Benchmarks)
    public func packBuiltTree() -> Int {
        let request = wholeRequest!
        return pack(request, room: protobuf_c_message_get_packed_size(messageHeader(request)), spanCount: 0).bytes.count
    }

    /// The bound the last ``buildTree(_:)`` gave and the size protobuf-c packs its tree to:
    /// for tests that check the bound holds.
    package func builtTreeSizes() -> (bound: Int, exact: Int) {
        (builder.packedSizeBound, protobuf_c_message_get_packed_size(messageHeader(wholeRequest!)))
    }

    // MARK: Packing

    /// Packs `request` into the output buffer, first grown to `room` bytes: the request's
    /// size, or with `isBound` a size it cannot exceed (``MessageTreeBuilder/packedSizeBound``).
    private func pack(
        _ request: UnsafeMutablePointer<PrepackedExportRequest>,
        room: Int,
        isBound: Bool = false,
        spanCount: Int
    ) -> OTLPEncodedRequest {
        if output.count < room {
            output.deallocate()
            output = .allocate(byteCount: max(room, output.count * 2), alignment: 16)
        }
        let packed = protobuf_c_message_pack(
            messageHeader(request),
            output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        )
        precondition(
            isBound ? packed <= room : packed == room,
            "protobuf-c packed \(packed) bytes into room for \(room)"
        )
        return OTLPEncodedRequest(bytes: UnsafeRawBufferPointer(rebasing: output[0..<packed]), itemCount: spanCount)
    }

    // MARK: Splitting

    /// Cuts the tree into consecutive runs of spans whose requests fit the limit.
    private func encodeSplit(
        _ spans: [SpanData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> OTLPEncodingResult {
        let groups = grouping.groups
        let messages = spanMessages!
        var requestCount = 0
        var encodedSpanCount = 0
        var oversized: [OTLPSpanTooLargeError] = []

        var size = RequestSize()
        var runStart = 0
        var runCount = 0
        func emitRun() throws {
            guard runCount > 0 else { return }
            let request = requestForRun(start: runStart, count: runCount)
            try body(pack(request, room: size.bytes, spanCount: runCount))
            requestCount += 1
            encodedSpanCount += runCount
        }

        var groupIndex = 0
        // What a group's scope and resource add to a request, sized once per group rather
        // than once per span.
        func overheads(of groupIndex: Int) -> (scope: Int, resource: Int) {
            let group = groups[groupIndex]
            let scope =
                RequestSize.field(
                    protobuf_c_message_get_packed_size(messageHeader(scopeSpansMessages[groupIndex].pointee.scope))
                )
                + RequestSize.stringField(group.scope.schemaURL)
            let resource =
                RequestSize.field(
                    protobuf_c_message_get_packed_size(
                        messageHeader(resourceSpansMessages[group.resourceIndex].pointee.resource)
                    )
                )
                + RequestSize.stringField(group.resource.schemaURL)
            return (scope, resource)
        }
        var (scopeOverhead, resourceOverhead) = overheads(of: 0)
        for position in 0..<grouping.order.count {
            while position >= groups[groupIndex].start + groups[groupIndex].count {
                groupIndex += 1
                (scopeOverhead, resourceOverhead) = overheads(of: groupIndex)
            }
            let group = groups[groupIndex]
            let spanBytes = protobuf_c_message_get_packed_size(messageHeader(messages[position]!))

            var grown = size
            grown.add(
                spanBytes: spanBytes,
                group: groupIndex,
                scopeOverhead: scopeOverhead,
                resource: group.resourceIndex,
                resourceOverhead: resourceOverhead
            )
            if grown.bytes <= (runCount == 0 ? maximumRequestBytes : preferredRequestBytes) {
                size = grown
                runCount += 1
                continue
            }
            try emitRun()
            size = RequestSize()
            size.add(
                spanBytes: spanBytes,
                group: groupIndex,
                scopeOverhead: scopeOverhead,
                resource: group.resourceIndex,
                resourceOverhead: resourceOverhead
            )
            if size.bytes <= maximumRequestBytes {
                runStart = position
                runCount = 1
            } else {
                let span = spans[grouping.order[position]]
                oversized.append(
                    OTLPSpanTooLargeError(
                        spanIndex: grouping.order[position],
                        traceID: span.context.traceID,
                        spanID: span.context.spanID,
                        requestBytes: size.bytes,
                        maximumRequestBytes: maximumRequestBytes
                    )
                )
                size = RequestSize()
                runStart = position + 1
                runCount = 0
            }
        }
        try emitRun()
        return OTLPEncodingResult(
            requestCount: requestCount,
            encodedSpanCount: encodedSpanCount,
            oversizedSpans: oversized
        )
    }

    /// A request for the spans at positions `start ..< start + count` of the tree: copies of
    /// the ResourceSpans and ScopeSpans wrappers that point into the shared span messages.
    private func requestForRun(start: Int, count: Int) -> UnsafeMutablePointer<PrepackedExportRequest> {
        let end = start + count
        let resourceSpansList = arena.allocate(
            UnsafeMutablePointer<PrepackedResourceSpans>?.self,
            count: grouping.resourceCount
        )
        var resourceSpansCount = 0
        var openResource = -1
        for (groupIndex, group) in grouping.groups.enumerated() {
            let low = max(start, group.start)
            let high = min(end, group.start + group.count)
            guard low < high else { continue }

            let scopeSpans = arena.allocate(PrepackedScopeSpans.self)
            scopeSpans.initialize(to: scopeSpansMessages[groupIndex].pointee)
            scopeSpans.pointee.n_spans = high - low
            scopeSpans.pointee.spans = spanMessages! + low

            if group.resourceIndex != openResource {
                openResource = group.resourceIndex
                let resourceSpans = arena.allocate(PrepackedResourceSpans.self)
                let whole = resourceSpansMessages[group.resourceIndex]
                resourceSpans.initialize(to: whole.pointee)
                resourceSpans.pointee.n_scope_spans = 0
                resourceSpans.pointee.scope_spans = arena.allocate(
                    UnsafeMutablePointer<PrepackedScopeSpans>?.self,
                    count: whole.pointee.n_scope_spans
                )
                (resourceSpansList + resourceSpansCount).initialize(to: resourceSpans)
                resourceSpansCount += 1
            }
            let resourceSpans = resourceSpansList[resourceSpansCount - 1]!
            (resourceSpans.pointee.scope_spans + resourceSpans.pointee.n_scope_spans).initialize(to: scopeSpans)
            resourceSpans.pointee.n_scope_spans += 1
        }
        let request = arena.allocate(PrepackedExportRequest.self)
        request.initialize(to: requestTemplate)
        request.pointee.n_resource_spans = resourceSpansCount
        request.pointee.resource_spans = resourceSpansList
        return request
    }
}
