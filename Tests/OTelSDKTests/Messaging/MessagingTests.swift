import MetricsTestKit
import OTelSDK
import Testing
import Tracing

@Suite("Messaging spans")
struct MessagingTests {
    private struct BrokerError: Error {}

    /// Headers as a broker client with its own header type keeps them.
    private struct KafkaHeader: Equatable {
        let key: String
        let value: [UInt8]
    }

    private struct KafkaHeaderInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
            carrier.append(KafkaHeader(key: key, value: Array(value.utf8)))
        }
    }

    private struct KafkaHeaderExtractor: Extractor {
        func extract(key: String, from carrier: [KafkaHeader]) -> String? {
            carrier.first { $0.key == key }.map { String(decoding: $0.value, as: UTF8.self) }
        }
    }

    @Test("publish and process spans follow the semantic conventions; the consumer is the producer's child")
    func publishThenProcess() async throws {
        let test = TestProvider()
        let tracer = test.tracer
        let sent = await tracer.withPublishSpan(
            system: "kafka",
            destination: "orders",
            messageID: "m-1",
            bodySize: 42,
            headers: ["x-tenant": "a"]
        ) { span, headers in
            #expect(headers["x-tenant"] == "a", "existing headers are kept")
            let context = span.context.spanContext!
            let traceParent = headers["traceparent"] ?? ""
            #expect(traceParent.hasPrefix("00-\(context.traceID.hexString)-\(context.spanID.hexString)-"))
            #expect(UInt8(traceParent.suffix(2), radix: 16).map { $0 & 1 } == 1, "sampled")
            return headers
        }
        await tracer.withProcessSpan(
            system: "kafka",
            destination: "orders",
            consumerGroup: "billing",
            messageID: "m-1",
            bodySize: 42,
            headers: sent
        ) { _ in }

        let spans = test.spans
        try #require(spans.count == 2)
        let (publish, process) = (spans[0], spans[1])
        #expect(publish.name == "publish orders" && publish.kind == .producer)
        #expect(process.name == "process orders" && process.kind == .consumer)
        #expect(process.context.traceID == publish.context.traceID)
        #expect(process.parentSpanID == publish.context.spanID && process.parentIsRemote)

        let published = Dictionary(uniqueKeysWithValues: publish.attributes.map { ($0.key, $0.value) })
        #expect(
            published == [
                "messaging.system": .string("kafka"), "messaging.destination.name": .string("orders"),
                "messaging.operation.type": .string("send"), "messaging.operation.name": .string("publish"),
                "messaging.message.id": .string("m-1"), "messaging.message.body.size": .int(42),
            ]
        )
        let processed = Dictionary(uniqueKeysWithValues: process.attributes.map { ($0.key, $0.value) })
        #expect(processed["messaging.operation.type"] == .string("process"))
        #expect(processed["messaging.operation.name"] == .string("process"))
        #expect(processed["messaging.consumer.group.name"] == .string("billing"))
        #expect(processed["messaging.destination.name"] == .string("orders"))
    }

    @Test("optional attributes are left out when not given")
    func optionalAttributes() async throws {
        let test = TestProvider()
        await test.tracer.withPublishSpan(system: "nats", destination: "jobs", operationName: "send") { _, _ in }
        let span = try #require(test.spans.first)
        #expect(span.name == "send jobs")
        #expect(
            Set(span.attributes.map(\.key)) == [
                "messaging.system", "messaging.destination.name", "messaging.operation.type",
                "messaging.operation.name",
            ]
        )
    }

    @Test("a broker's own header type works through an injector and an extractor")
    func customCarrier() async throws {
        let test = TestProvider()
        let headers = await test.tracer.withPublishSpan(
            system: "kafka",
            destination: "t",
            headers: [KafkaHeader(key: "k", value: [1])],
            injector: KafkaHeaderInjector()
        ) { _, headers in headers }
        #expect(headers.first == KafkaHeader(key: "k", value: [1]))
        #expect(headers.contains { $0.key == "traceparent" })
        await test.tracer.withProcessSpan(
            system: "kafka",
            destination: "t",
            headers: headers,
            extractor: KafkaHeaderExtractor()
        ) { _ in }
        let spans = test.spans
        #expect(spans.count == 2 && spans[1].parentSpanID == spans[0].context.spanID)
    }

    @Test("without trace headers the consumer span continues the current context; errors are recorded")
    func noHeadersAndErrors() async throws {
        let test = TestProvider()
        await #expect(throws: BrokerError.self) {
            try await test.tracer.withProcessSpan(system: "rabbitmq", destination: "q", headers: [:]) { _ in
                throw BrokerError()
            }
        }
        let span = try #require(test.spans.first)
        #expect(span.parentSpanID == nil, "a new root trace")
        #expect(span.status?.code == .error)
        #expect(span.events.first?.name == "exception")
    }

    @Test("a sampled-out publish still propagates a context, with the sampled flag off")
    func sampledOut() async throws {
        let test = TestProvider(sampler: AlwaysOffSampler())
        let headers = await test.tracer.withPublishSpan(system: "redis", destination: "s") { _, headers in headers }
        let traceParent = try #require(headers["traceparent"])
        #expect(UInt8(traceParent.suffix(2), radix: 16).map { $0 & 1 } == 0, "not sampled")
        #expect(test.spans.isEmpty)
    }

    @Test("a publish counts in messaging.client.sent.messages and times messaging.client.operation.duration")
    func publishMetrics() async throws {
        let recordedMetrics = recordedMetrics  // bootstrapped before the first message
        let tracer = TestProvider().tracer
        for _ in 0..<3 {
            await tracer.withPublishSpan(system: "kafka", destination: "metrics-publish") { _, _ in }
        }
        await #expect(throws: BrokerError.self) {
            try await tracer.withPublishSpan(system: "kafka", destination: "metrics-publish") { _, _ in
                throw BrokerError()
            }
        }
        let attributes = [
            ("messaging.system", "kafka"), ("messaging.destination.name", "metrics-publish"),
            ("messaging.operation.name", "publish"),
        ]
        let failed = attributes + [("error.type", String(reflecting: BrokerError.self))]
        #expect(try recordedMetrics.expectCounter("messaging.client.sent.messages", attributes).totalValue == 3)
        #expect(try recordedMetrics.expectCounter("messaging.client.sent.messages", failed).totalValue == 1)
        #expect(try recordedMetrics.expectTimer("messaging.client.operation.duration", attributes).values.count == 3)
        #expect(try recordedMetrics.expectTimer("messaging.client.operation.duration", failed).values.count == 1)
    }

    @Test("processing a message times messaging.process.duration, with the consumer group and error.type")
    func processMetrics() async throws {
        let recordedMetrics = recordedMetrics  // bootstrapped before the first message
        let tracer = TestProvider().tracer
        try await tracer.withProcessSpan(
            system: "kafka",
            destination: "metrics-process",
            consumerGroup: "billing",
            headers: [:]
        ) { _ in try await Task.sleep(for: .milliseconds(20)) }
        await #expect(throws: BrokerError.self) {
            try await tracer.withProcessSpan(system: "kafka", destination: "metrics-process", headers: [:]) { _ in
                throw BrokerError()
            }
        }
        let timer = try recordedMetrics.expectTimer(
            "messaging.process.duration",
            [
                ("messaging.system", "kafka"), ("messaging.destination.name", "metrics-process"),
                ("messaging.operation.name", "process"), ("messaging.consumer.group.name", "billing"),
            ]
        )
        #expect(timer.values.count == 1)
        #expect(timer.values.first ?? 0 >= 20_000_000, "the duration covers the handler's 20 ms")
        let failed = try recordedMetrics.expectTimer(
            "messaging.process.duration",
            [
                ("messaging.system", "kafka"), ("messaging.destination.name", "metrics-process"),
                ("messaging.operation.name", "process"), ("error.type", String(reflecting: BrokerError.self)),
            ]
        )
        #expect(failed.values.count == 1)
        #expect(
            recordedMetrics.counters(label: "messaging.client.sent.messages").allSatisfy {
                !$0.dimensions.contains { $0 == ("messaging.destination.name", "metrics-process") }
            },
            "processing sends nothing"
        )
    }

    @Test("a destination per message does not grow the helpers' handle cache without bound")
    func boundedHandleCache() async {
        let recordedMetrics = recordedMetrics  // bootstrapped before the first message
        let tracer = TestProvider().tracer
        let destinations = MessagingMetrics.maximumCachedHandles + 100
        for index in 0..<destinations {
            await tracer.withPublishSpan(system: "kafka", destination: "reply-\(index)") { _, _ in }
        }
        #expect(MessagingMetrics.cachedHandleCount <= 2 * MessagingMetrics.maximumCachedHandles)
        #expect(
            recordedMetrics.counters(label: "messaging.client.sent.messages").filter {
                $0.dimensions.contains { $0.0 == "messaging.destination.name" && $0.1.hasPrefix("reply-") }
            }.count == destinations,
            "every message is still counted"
        )
    }

}
