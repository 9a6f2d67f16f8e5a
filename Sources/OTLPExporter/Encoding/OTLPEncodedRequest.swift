/// One packed ExportTraceServiceRequest, handed to the caller of ``OTLPProtobufTraceEncoder/encode(_:_:)``.
public struct OTLPEncodedRequest {
    /// The protobuf bytes. They live in the encoder's reused buffer: copy them to keep them
    /// beyond the closure that received this request.
    public let bytes: UnsafeRawBufferPointer
    /// How many spans the request carries.
    public let spanCount: Int
}
