import Foundation
import Logging
import OTelSDK
import Synchronization
import Testing
import Tracing

/// A logger provider that exports every record into memory, configured only by what the test
/// passes.
private struct TestLoggerProvider {
    let provider: LoggerProvider
    let exporter = InMemoryLogRecordExporter()

    init(
        limits: LogRecordLimits = LogRecordLimits(),
        dropsRecordsOfUnsampledSpans: Bool = false,
        environment: [String: String] = [:]
    ) {
        provider = LoggerProvider(
            resource: Resource(attributes: ["service.name": "log-tests"]),
            processors: [SimpleLogRecordProcessor(exporter: exporter)],
            limits: limits,
            dropsRecordsOfUnsampledSpans: dropsRecordsOfUnsampledSpans,
            environment: OTelEnvironment(environment)
        )
    }

    func logger(_ label: String = "checkout", metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: label) { label in
            var handler = provider.makeLogHandler(label: label)
            handler.metadataProvider = metadataProvider
            return handler
        }
        logger.logLevel = .trace
        return logger
    }

    var records: [LogRecordData] { exporter.finishedLogRecords }
}

private struct PaymentDeclined: Error, CustomStringConvertible {
    var description: String { "card declined" }
}

private struct OrderID: CustomStringConvertible, Sendable {
    var description: String { "order-42" }
}

@Suite("Log handler")
struct LogHandlerTests {
    @Test("a log call becomes a record: body, severity, time, scope, resource, code location")
    func record() throws {
        let test = TestLoggerProvider()
        let before = DefaultTracerClock.now.nanosecondsSinceEpoch
        let line = #line + 1
        test.logger().info("order accepted")
        let after = DefaultTracerClock.now.nanosecondsSinceEpoch
        let record = try #require(test.records.first)
        #expect(record.body == .string("order accepted"))
        #expect(record.severity == LogSeverity(number: 9, text: "info"))
        #expect(record.timeUnixNano >= before && record.timeUnixNano <= after)
        #expect(record.observedTimeUnixNano == record.timeUnixNano)
        #expect(record.instrumentationScope.name == "checkout")
        #expect(record.resource.serviceName == "log-tests")
        #expect(record.attributes["code.file.path"] == .string(#fileID))
        #expect(record.attributes["code.function.name"] == .string("record()"))
        #expect(record.attributes["code.line.number"] == .int(Int64(line)))
        #expect(record.spanContext == nil && record.droppedAttributeCount == 0)
    }

    @Test(
        "swift-log levels map to the specification's severity numbers",
        arguments: [
            (Logger.Level.trace, 1), (.debug, 5), (.info, 9), (.notice, 10), (.warning, 13), (.error, 17),
            (.critical, 18),
        ]
    )
    func severities(level: Logger.Level, number: Int) throws {
        let test = TestLoggerProvider()
        test.logger().log(level: level, "at \(level)")
        #expect(test.records.first?.severity == LogSeverity(number: number, text: level.rawValue))
    }

    @Test("metadata: the handler's, the provider's and the call's, later wins; values keep their shape")
    func metadata() throws {
        let test = TestLoggerProvider()
        let provided = Logger.MetadataProvider { ["tenant": "blue", "region": "provided"] }
        var logger = test.logger(metadataProvider: provided)
        logger[metadataKey: "region"] = "handler"
        logger[metadataKey: "service.version"] = "1.2"
        logger.info(
            "placed",
            metadata: [
                "tenant": "green",
                "order": .stringConvertible(OrderID()),
                "items": ["apple", "pear"],
                "customer": ["id": "7", "tier": "gold"],
            ]
        )
        let record = try #require(test.records.first)
        #expect(record.attributes["region"] == .string("provided"))
        #expect(record.attributes["tenant"] == .string("green"))
        #expect(record.attributes["service.version"] == .string("1.2"))
        #expect(record.attributes["order"] == .string("order-42"))
        #expect(record.attributes["items"] == .array([.string("apple"), .string("pear")]))
        #expect(
            record.attributes["customer"]
                == .map([LogAttribute("id", .string("7")), LogAttribute("tier", .string("gold"))])
        )
        // Metadata keys sorted, then the code location.
        #expect(
            record.attributes.map(\.key).prefix(6) == [
                "customer", "items", "order", "region", "service.version", "tenant",
            ]
        )
    }

    @Test("an error: exception.type and exception.message")
    func error() throws {
        let test = TestLoggerProvider()
        test.logger().error("charge failed", error: PaymentDeclined())
        let record = try #require(test.records.first)
        #expect(record.attributes["exception.message"] == .string("card declined"))
        #expect(record.attributes["exception.type"]?.description.hasSuffix("PaymentDeclined") == true)
    }

    @Test("inside a span the record carries its trace id, span id and flags")
    func spanContext() throws {
        let logs = TestLoggerProvider()
        let traces = TracerProvider(
            resource: Resource(attributes: []),
            sampler: AlwaysOnSampler(),
            environment: OTelEnvironment([:])
        )
        let tracer = traces.tracer(name: "t")
        let logger = logs.logger()
        var ids: SpanContext?
        tracer.withSpan("charge") { span in
            ids = span.spanContext
            logger.info("inside")
        }
        logger.info("outside")
        let records = logs.records
        #expect(records.count == 2)
        let inside = try #require(records.first?.spanContext)
        #expect(inside.traceID == ids?.traceID && inside.spanID == ids?.spanID)
        #expect(inside.traceFlags.contains(.sampled))
        #expect(records.last?.spanContext == nil)
    }

    @Test("trace_based: records made in spans that are not sampled are dropped, the others kept")
    func traceBased() throws {
        let logs = TestLoggerProvider(dropsRecordsOfUnsampledSpans: true)
        let logger = logs.logger()
        for sampler in [AlwaysOffSampler() as any Sampler, AlwaysOnSampler()] {
            let provider = TracerProvider(
                resource: Resource(attributes: []),
                sampler: sampler,
                environment: OTelEnvironment([:])
            )
            provider.tracer(name: "t").withSpan("s") { _ in logger.info("in \(sampler)") }
        }
        logger.info("outside any span")
        #expect(logs.records.map { $0.body?.description } == ["in AlwaysOnSampler", "outside any span"])
    }

    @Test("limits: attributes over the count are dropped and counted; strings cut, nested ones too")
    func limits() throws {
        let test = TestLoggerProvider(limits: LogRecordLimits(attributeCountLimit: 2, attributeValueLengthLimit: 3))
        test.logger().info("limited", metadata: ["a": "abcdef", "b": ["xyzzy"], "c": "kept?"])
        let record = try #require(test.records.first)
        #expect(record.attributes == [LogAttribute("a", .string("abc")), LogAttribute("b", .array([.string("xyz")]))])
        // c and the three code attributes did not fit.
        #expect(record.droppedAttributeCount == 4)
    }

    @Test("limits from the environment: OTEL_LOGRECORD_* first, OTEL_ATTRIBUTE_* as the fallback")
    func environmentLimits() {
        let specific = LogRecordLimits(
            environment: OTelEnvironment([
                "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT": "5", "OTEL_ATTRIBUTE_COUNT_LIMIT": "9",
                "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "20",
            ])
        )
        #expect(specific == LogRecordLimits(attributeCountLimit: 5, attributeValueLengthLimit: 20))
        #expect(LogRecordLimits(environment: OTelEnvironment([:])) == LogRecordLimits())
    }

    @Test("OTEL_SDK_DISABLED=true: no record is made")
    func disabled() {
        let test = TestLoggerProvider(environment: ["OTEL_SDK_DISABLED": "true"])
        test.logger().info("nothing")
        #expect(test.records.isEmpty)
    }

    @Test("what the SDK logs on its own threads goes to standard error, never into its pipeline")
    func sdkThreadsDoNotFeedBack() throws {
        let test = TestLoggerProvider()
        let logger = test.logger("otlp-exporter")
        let done = DispatchSemaphore(value: 0)
        PosixThread.start(name: "otlp-export-test") {
            logger.warning("OTLP export failed")
            done.signal()
        }
        done.wait()
        logger.info("from an app thread")
        #expect(test.records.map { $0.body?.description } == ["from an app thread"])
    }

    @Test("a provider that is no longer referenced is freed with its processors, though its handlers logged")
    func providerIsFreed() {
        weak var processor: FreeingProcessor?
        do {
            let made = FreeingProcessor()
            processor = made
            let provider = LoggerProvider(processors: [made], environment: OTelEnvironment([:]))
            let logger = Logger(label: "checkout", factory: provider.makeLogHandler)
            logger.info("one record")
            #expect(made.emitted.load(ordering: .relaxed) == 1)
        }
        #expect(processor == nil, "the provider's core or a logger is kept alive by a cycle")
    }
}

/// Counts the records it is given.
private final class FreeingProcessor: LogRecordProcessor {
    let emitted = Atomic<Int>(0)

    func onEmit(_ record: consuming LogRecord) {
        emitted.add(1, ordering: .relaxed)
    }

    func forceFlush(timeout: Duration) -> CompletionResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}
