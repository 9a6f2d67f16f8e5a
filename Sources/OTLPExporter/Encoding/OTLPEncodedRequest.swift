/// One packed Export request, handed to the caller of an encoder's `encode(_:_:)`.
public struct OTLPEncodedRequest {
    /// The protobuf (or JSON) bytes. They live in the encoder's reused buffer: copy them to
    /// keep them beyond the closure that received this request.
    public let bytes: UnsafeRawBufferPointer
    /// How many items (spans, log records) the request carries.
    public let itemCount: Int
}
