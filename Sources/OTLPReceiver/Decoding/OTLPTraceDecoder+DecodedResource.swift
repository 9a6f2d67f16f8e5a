import OTelSDK

extension OTLPTraceDecoder {
    /// The resource of one ResourceSpans, with what ``Resource`` has no place for.
    package struct DecodedResource: Sendable, Equatable {
        /// The resource: the same instance as the `resource` of this ResourceSpans' spans.
        package let resource: Resource
        /// The entities the resource describes (OTLP's `Resource.entity_refs`, status:
        /// development), in message order; empty when none were sent.
        package let entityRefs: [EntityRef]
    }
}
