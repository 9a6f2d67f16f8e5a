extension SpanData {
    /// A timestamped annotation of a span, such as an "exception" or an "ack".
    public struct Event: Sendable, Equatable {
        /// The event name.
        public let name: String
        /// When it happened, in nanoseconds since the Unix epoch.
        public let timeUnixNano: UInt64
        /// The attributes that fit within the span limits.
        public let attributes: [Attribute]
        /// Attributes discarded by the span limits.
        public let droppedAttributeCount: Int

        /// Creates an event.
        /// - Parameters:
        ///   - name: the event name.
        ///   - timeUnixNano: when it happened, nanoseconds since the Unix epoch.
        ///   - attributes: attributes; defaults to none.
        ///   - droppedAttributeCount: attributes discarded; defaults to 0.
        public init(name: String, timeUnixNano: UInt64, attributes: [Attribute] = [], droppedAttributeCount: Int = 0) {
            self.name = name
            self.timeUnixNano = timeUnixNano
            self.attributes = attributes
            self.droppedAttributeCount = droppedAttributeCount
        }
    }
}
