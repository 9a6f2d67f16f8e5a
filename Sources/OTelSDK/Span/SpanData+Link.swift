extension SpanData {
    /// A reference from a span to another span, in the same trace or another.
    public struct Link: Sendable, Equatable {
        /// The linked span's context; its `isRemote` is carried to OTLP's link flags.
        public let context: SpanContext
        /// The attributes that fit within the span limits.
        public let attributes: [Attribute]
        /// Attributes discarded by the span limits.
        public let droppedAttributeCount: Int

        /// Creates a link.
        /// - Parameters:
        ///   - context: the linked span's context.
        ///   - attributes: attributes; defaults to none.
        ///   - droppedAttributeCount: attributes discarded; defaults to 0.
        public init(context: SpanContext, attributes: [Attribute] = [], droppedAttributeCount: Int = 0) {
            self.context = context
            self.attributes = attributes
            self.droppedAttributeCount = droppedAttributeCount
        }
    }
}
