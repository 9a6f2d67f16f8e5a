import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

@Suite("OTLP receiver and newer senders")
struct OTLPReceiverNewerSenderTests {
    @Test(
        "a request with opentelemetry-proto 1.11 fields is accepted and its spans kept",
        arguments: ["application/x-protobuf", "application/json"]
    )
    func acceptsNewerFields(contentType: String) async throws {
        let body = contentType == "application/json" ? NewerSenderRequest.json : NewerSenderRequest.protobuf
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let url = try #require(receiver.httpEndpoint) + "/v1/traces"
            let response = try CurlCommand.post(url, body: body, headers: ["Content-Type: \(contentType)"])
            #expect(response.status == 200)

            // What the span cannot carry (string-table references) is counted as dropped.
            let spans = try await receiver.waitForSpans(count: 1, timeout: .seconds(5))
            let span = try #require(spans.first)
            #expect(spans.count == 1 && receiver.statistics.refusedRequests == 0)
            #expect(span.attributes == [Attribute("http.request.method", "GET"), Attribute("retries", .int(5))])
            #expect(span.droppedAttributeCount == 4 && span.resource.droppedAttributeCount == 1)
        }
    }
}
