import COTLPProto

/// The protobuf messages a receiver answers with, packed with protobuf-c.
enum ResponseMessages {
    /// An Export response: empty for a full success (zero bytes), with `partial_success` set
    /// otherwise. Packed as ExportTraceServiceResponse, which every signal's response is on the
    /// wire (`partial_success` = 1 holding the count = 1 and `error_message` = 2).
    static func exportResponse(partialSuccess: (rejected: Int64, message: String)?) -> [UInt8] {
        guard let partialSuccess else { return [] }
        return partialSuccess.message.withCString { message in
            var partial = Opentelemetry__Proto__Collector__Trace__V1__ExportTracePartialSuccess()
            opentelemetry__proto__collector__trace__v1__export_trace_partial_success__init(&partial)
            partial.rejected_spans = partialSuccess.rejected
            partial.error_message = UnsafeMutablePointer(mutating: message)
            return withUnsafeMutablePointer(to: &partial) { partial in
                var response = Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceResponse()
                opentelemetry__proto__collector__trace__v1__export_trace_service_response__init(&response)
                response.partial_success = partial
                return pack(
                    size: opentelemetry__proto__collector__trace__v1__export_trace_service_response__get_packed_size(
                        &response
                    )
                ) { opentelemetry__proto__collector__trace__v1__export_trace_service_response__pack(&response, $0) }
            }
        }
    }

    /// A google.rpc.Status with `code` and `message`, carrying a google.rpc.RetryInfo detail
    /// when `retryDelay` is set (what grpc-status-details-bin holds).
    static func status(code: Int, message: String, retryDelay: Duration?) -> [UInt8] {
        var detailBytes: [UInt8] = []
        if let retryDelay {
            var duration = Google__Protobuf__Duration()
            google__protobuf__duration__init(&duration)
            duration.seconds = retryDelay.components.seconds
            duration.nanos = Int32(retryDelay.components.attoseconds / 1_000_000_000)
            detailBytes = withUnsafeMutablePointer(to: &duration) { duration in
                var info = Google__Rpc__RetryInfo()
                google__rpc__retry_info__init(&info)
                info.retry_delay = duration
                return pack(size: google__rpc__retry_info__get_packed_size(&info)) {
                    google__rpc__retry_info__pack(&info, $0)
                }
            }
        }
        return message.withCString { message in
            "type.googleapis.com/google.rpc.RetryInfo".withCString { typeURL in
                detailBytes.withUnsafeMutableBufferPointer { detailBytes in
                    var any = Google__Protobuf__Any()
                    google__protobuf__any__init(&any)
                    any.type_url = UnsafeMutablePointer(mutating: typeURL)
                    any.value = ProtobufCBinaryData(len: detailBytes.count, data: detailBytes.baseAddress)
                    return withUnsafeMutablePointer(to: &any) { any in
                        var details: [UnsafeMutablePointer<Google__Protobuf__Any>?] = [any]
                        return details.withUnsafeMutableBufferPointer { details in
                            var status = Google__Rpc__Status()
                            google__rpc__status__init(&status)
                            status.code = Int32(code)
                            status.message = UnsafeMutablePointer(mutating: message)
                            if retryDelay != nil {
                                status.n_details = 1
                                status.details = details.baseAddress
                            }
                            return pack(size: google__rpc__status__get_packed_size(&status)) {
                                google__rpc__status__pack(&status, $0)
                            }
                        }
                    }
                }
            }
        }
    }

    private static func pack(size: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = size == 0 ? 0 : body(buffer.baseAddress!)
        }
    }
}
