import OTelSDK

extension OTLPTraceDecoder {
    /// An ExportTraceServiceRequest as the decoder reads it: the spans, and what the request
    /// carries that ``SpanData`` has no place for.
    package struct DecodedRequest: Sendable {
        /// The spans, in message order: what ``OTLPTraceDecoder/decodeRequest(_:)-([UInt8])``
        /// returns.
        package let spans: [SpanData]
        /// One per ResourceSpans, in message order, those without spans included.
        package let resources: [DecodedResource]
        /// How many attribute keys (`key_strindex`) and string values (`string_value_strindex`)
        /// were sent as an index into the profiles signal's string table, which a trace request
        /// does not carry. "Implementers of OTLP receivers for signals other than Profiling
        /// should treat the presence of this value as a non-fatal issue. Log an error or
        /// warning indicating an unexpected field intended for the Profiling signal and process
        /// the data as if this value were absent or empty": an attribute whose key or value
        /// cannot be read this way is left out and counted in its holder's dropped attribute
        /// count; one that also has its `key` keeps it. Above 0, a receiver should warn.
        package let profilesStringTableReferenceCount: Int
    }
}
