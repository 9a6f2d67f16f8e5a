import OTelSDK

extension OTLPTraceDecoder {
    /// The resource of one ResourceSpans, with what ``Resource`` has no place for.
    public struct DecodedResource: Sendable, Equatable {
        /// The resource: the same instance as the `resource` of this ResourceSpans' spans.
        public let resource: Resource
        /// The entities the resource describes (OTLP's `Resource.entity_refs`, status:
        /// development), in message order; empty when none were sent.
        public let entityRefs: [EntityRef]
    }
}
