import COTLPProto

// Short names for the protobuf-c structs generated from proto/. The OTLP messages' are
// package-wide: the receiver's decoder reads them too.

// What the encoder packs: wire-identical to the OTLP request, each span's attributes packed
// KeyValues (proto/otlp_prepacked/v1/prepacked_trace.proto).
typealias PrepackedExportRequest = OtlpPrepacked__V1__ExportTraceServiceRequest
typealias PrepackedResourceSpans = OtlpPrepacked__V1__ResourceSpans
typealias PrepackedScopeSpans = OtlpPrepacked__V1__ScopeSpans
typealias PrepackedSpan = OtlpPrepacked__V1__Span

// The OTLP messages themselves.
package typealias ProtoExportRequest = Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest
package typealias ProtoResourceSpans = Opentelemetry__Proto__Trace__V1__ResourceSpans
package typealias ProtoScopeSpans = Opentelemetry__Proto__Trace__V1__ScopeSpans
package typealias ProtoSpan = Opentelemetry__Proto__Trace__V1__Span
package typealias ProtoEvent = Opentelemetry__Proto__Trace__V1__Span__Event
package typealias ProtoLink = Opentelemetry__Proto__Trace__V1__Span__Link
package typealias ProtoStatus = Opentelemetry__Proto__Trace__V1__Status
package typealias ProtoResource = Opentelemetry__Proto__Resource__V1__Resource
package typealias ProtoScope = Opentelemetry__Proto__Common__V1__InstrumentationScope
package typealias ProtoKeyValue = Opentelemetry__Proto__Common__V1__KeyValue
package typealias ProtoAnyValue = Opentelemetry__Proto__Common__V1__AnyValue
package typealias ProtoArrayValue = Opentelemetry__Proto__Common__V1__ArrayValue
package typealias ProtoKeyValueList = Opentelemetry__Proto__Common__V1__KeyValueList
package typealias ProtoExportLogsRequest = Opentelemetry__Proto__Collector__Logs__V1__ExportLogsServiceRequest
package typealias ProtoResourceLogs = Opentelemetry__Proto__Logs__V1__ResourceLogs
package typealias ProtoScopeLogs = Opentelemetry__Proto__Logs__V1__ScopeLogs
package typealias ProtoLogRecord = Opentelemetry__Proto__Logs__V1__LogRecord
package typealias ProtoExportMetricsRequest =
    Opentelemetry__Proto__Collector__Metrics__V1__ExportMetricsServiceRequest
package typealias ProtoResourceMetrics = Opentelemetry__Proto__Metrics__V1__ResourceMetrics
package typealias ProtoScopeMetrics = Opentelemetry__Proto__Metrics__V1__ScopeMetrics
package typealias ProtoMetric = Opentelemetry__Proto__Metrics__V1__Metric
package typealias ProtoGauge = Opentelemetry__Proto__Metrics__V1__Gauge
package typealias ProtoSum = Opentelemetry__Proto__Metrics__V1__Sum
package typealias ProtoHistogram = Opentelemetry__Proto__Metrics__V1__Histogram
package typealias ProtoExponentialHistogram = Opentelemetry__Proto__Metrics__V1__ExponentialHistogram
package typealias ProtoNumberDataPoint = Opentelemetry__Proto__Metrics__V1__NumberDataPoint
package typealias ProtoHistogramDataPoint = Opentelemetry__Proto__Metrics__V1__HistogramDataPoint
package typealias ProtoExponentialHistogramDataPoint =
    Opentelemetry__Proto__Metrics__V1__ExponentialHistogramDataPoint
package typealias ProtoExponentialBuckets = Opentelemetry__Proto__Metrics__V1__ExponentialHistogramDataPoint__Buckets
package typealias ProtoExemplar = Opentelemetry__Proto__Metrics__V1__Exemplar

/// OTLP span flags bits above the W3C trace flags byte.
package enum ProtoSpanFlags {
    package static let traceFlagsMask: UInt32 = 0xFF
    /// Set when ``contextIsRemote`` carries a known value.
    package static let contextHasIsRemote: UInt32 = 0x100
    /// The parent (for a span) or the linked context (for a link) is remote.
    package static let contextIsRemote: UInt32 = 0x200

    package static func encode(traceFlags: UInt8, isRemote: Bool) -> UInt32 {
        UInt32(traceFlags) | contextHasIsRemote | (isRemote ? contextIsRemote : 0)
    }
}

/// The `ProtobufCMessage` header at the start of every generated message struct.
func messageHeader<Message>(_ message: UnsafeMutablePointer<Message>) -> UnsafeMutablePointer<ProtobufCMessage> {
    UnsafeMutableRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
}
