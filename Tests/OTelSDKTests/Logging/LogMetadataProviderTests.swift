import Foundation
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("Logger.MetadataProvider.otel: logs that carry the trace")
struct LogMetadataProviderTests {
    let test = TestProvider()
    let log = CapturedLog()

    /// The metadata the provider added to each record, by the default key names.
    private var traceMetadata: [[String: String]] {
        log.records.map { record in
            record.metadata.filter { ["trace_id", "span_id", "trace_flags"].contains($0.key) }.mapValues { "\($0)" }
        }
    }

    /// What a record made inside a span with this context carries. Written with Foundation's
    /// formatter, not the SDK's, so that the SDK's hex encoding is checked too.
    private func expectedMetadata(
        _ context: SpanContext,
        traceIDKey: String = "trace_id",
        spanIDKey: String = "span_id",
        traceFlagsKey: String = "trace_flags"
    ) -> [String: String] {
        [
            traceIDKey: context.traceID.bytes.map { String(format: "%02x", $0) }.joined(),
            spanIDKey: context.spanID.bytes.map { String(format: "%02x", $0) }.joined(),
            traceFlagsKey: String(format: "%02x", context.traceFlags.rawValue),
        ]
    }

    @Test("a record made inside a span carries the span's trace id, span id and flags in lowercase hex")
    func insideSpan() throws {
        let logger = log.makeLogger(metadataProvider: .otel)
        let context = test.tracer.withSpan("handle") { span in
            logger.info("inside")
            return span.spanContext
        }

        let metadata = try #require(traceMetadata.first)
        #expect(metadata == expectedMetadata(context))
        #expect(metadata["trace_id"]?.count == 32)
        #expect(metadata["span_id"]?.count == 16)
        // Sampled (01) and, as new trace ids are random, the W3C random bit (02).
        #expect(metadata["trace_flags"] == "03")
        // The exported span is the one the log line points to.
        let exported = try #require(test.spans.first)
        #expect(metadata["trace_id"] == exported.context.traceID.hexString)
        #expect(metadata["span_id"] == exported.context.spanID.hexString)
    }

    @Test("a record made outside any span has none of the keys")
    func outsideSpan() throws {
        let logger = log.makeLogger(metadataProvider: .otel)
        test.tracer.withSpan("handle") { _ in }
        logger.info("outside", metadata: ["request": "1"])

        let record = try #require(log.records.first)
        #expect(record.metadata == ["request": "1"])
    }

    @Test("the span stays on the records made after an await inside it")
    func acrossAwait() async throws {
        let logger = log.makeLogger(metadataProvider: .otel)
        let context = try await test.tracer.withSpan("handle") { span in
            logger.info("before")
            try await Task.sleep(for: .milliseconds(1))
            logger.info("after")
            return span.spanContext
        }

        #expect(traceMetadata == [expectedMetadata(context), expectedMetadata(context)])
    }

    @Test("a child task started inside the span logs with the span (task-locals are inherited)")
    func childTask() async throws {
        let logger = log.makeLogger(metadataProvider: .otel)
        let context = await test.tracer.withSpan("handle") { span in
            await Task { logger.info("in a child task") }.value
            return span.spanContext
        }

        #expect(traceMetadata == [expectedMetadata(context)])
    }

    @Test("a sampled-out span, which records nothing, still puts its ids and unsampled flags on the record")
    func sampledOutSpan() throws {
        let sampledOut = TestProvider(sampler: AlwaysOffSampler())
        let logger = log.makeLogger(metadataProvider: .otel)
        let context = sampledOut.tracer.withSpan("handle") { span in
            #expect(!span.isRecording)
            logger.info("inside")
            return span.spanContext
        }

        let metadata = try #require(traceMetadata.first)
        #expect(metadata == expectedMetadata(context))
        // Only the W3C random bit (02) that new trace ids get; the sampled bit (01) is clear.
        #expect(metadata["trace_flags"] == "02")
        #expect(sampledOut.spans.isEmpty)
    }

    @Test("a context extracted from another process puts the remote span's ids on the record")
    func remoteContext() throws {
        let logger = log.makeLogger(metadataProvider: .otel)
        var context = InstrumentationContext.topLevel
        test.tracer.extract(
            ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
            into: &context,
            using: DictionaryExtractor()
        )
        InstrumentationContext.$current.withValue(context) {
            logger.info("remote")
        }

        #expect(
            traceMetadata == [
                ["trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331", "trace_flags": "01"]
            ]
        )
    }

    @Test("the invalid context of a disabled provider's root span adds no keys")
    func invalidContext() throws {
        let disabled = TestProvider(environment: ["OTEL_SDK_DISABLED": "true"])
        let logger = log.makeLogger(metadataProvider: .otel)
        disabled.tracer.withSpan("root") { span in
            #expect(!span.spanContext.isValid)
            logger.info("inside")
        }

        let record = try #require(log.records.first)
        #expect(record.metadata.isEmpty)
    }

    @Test("the key names can be chosen")
    func customKeys() throws {
        let logger = log.makeLogger(
            metadataProvider: .otel(traceIDKey: "trace.id", spanIDKey: "span.id", traceFlagsKey: "trace.flags")
        )
        let context = test.tracer.withSpan("handle") { span in
            logger.info("inside")
            return span.spanContext
        }

        let record = try #require(log.records.first)
        #expect(
            record.metadata.mapValues { "\($0)" }
                == expectedMetadata(context, traceIDKey: "trace.id", spanIDKey: "span.id", traceFlagsKey: "trace.flags")
        )
    }
}
