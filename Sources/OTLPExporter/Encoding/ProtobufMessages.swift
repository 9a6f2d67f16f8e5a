import COTLPProto

// Short names for the protobuf-c structs generated from proto/.

// What the encoder packs: wire-identical to the OTLP request, each span's attributes packed
// KeyValues (proto/otlp_encoding/v1/packed_attributes.proto).
typealias PrepackedExportRequest = OtlpEncoding__V1__ExportTraceServiceRequest
typealias PrepackedResourceSpans = OtlpEncoding__V1__ResourceSpans
typealias PrepackedScopeSpans = OtlpEncoding__V1__ScopeSpans
typealias PrepackedSpan = OtlpEncoding__V1__Span

// The OTLP messages themselves.
typealias ProtoExportRequest = Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest
typealias ProtoResourceSpans = Opentelemetry__Proto__Trace__V1__ResourceSpans
typealias ProtoScopeSpans = Opentelemetry__Proto__Trace__V1__ScopeSpans
typealias ProtoSpan = Opentelemetry__Proto__Trace__V1__Span
typealias ProtoEvent = Opentelemetry__Proto__Trace__V1__Span__Event
typealias ProtoLink = Opentelemetry__Proto__Trace__V1__Span__Link
typealias ProtoStatus = Opentelemetry__Proto__Trace__V1__Status
typealias ProtoResource = Opentelemetry__Proto__Resource__V1__Resource
typealias ProtoScope = Opentelemetry__Proto__Common__V1__InstrumentationScope
typealias ProtoKeyValue = Opentelemetry__Proto__Common__V1__KeyValue
typealias ProtoAnyValue = Opentelemetry__Proto__Common__V1__AnyValue
typealias ProtoArrayValue = Opentelemetry__Proto__Common__V1__ArrayValue

/// OTLP span flags bits above the W3C trace flags byte.
enum ProtoSpanFlags {
    static let traceFlagsMask: UInt32 = 0xFF
    /// Set when ``contextIsRemote`` carries a known value.
    static let contextHasIsRemote: UInt32 = 0x100
    /// The parent (for a span) or the linked context (for a link) is remote.
    static let contextIsRemote: UInt32 = 0x200

    static func encode(traceFlags: UInt8, isRemote: Bool) -> UInt32 {
        UInt32(traceFlags) | contextHasIsRemote | (isRemote ? contextIsRemote : 0)
    }
}

/// The `ProtobufCMessage` header at the start of every generated message struct.
func messageHeader<Message>(_ message: UnsafeMutablePointer<Message>) -> UnsafeMutablePointer<ProtobufCMessage> {
    UnsafeMutableRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
}
