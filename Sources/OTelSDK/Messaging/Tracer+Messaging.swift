import Tracing

/// Producer and consumer spans for message brokers (Kafka, RabbitMQ, NATS, Redis streams, ...)
/// per the OpenTelemetry messaging semantic conventions, with the trace context carried in
/// the message's headers so that a consumer's span is the child of the producer's.
///
/// They work with any `Tracer` and with any broker client whose messages have string
/// headers: `[String: String]` directly, anything else through an `Injector` / `Extractor`.
///
/// ```swift
/// try await tracer.withPublishSpan(system: "kafka", destination: "orders", headers: message.headers) { span, headers in
///     try await producer.send(message.body, headers: headers)
/// }
/// // in the consumer:
/// try await tracer.withProcessSpan(system: "kafka", destination: "orders", headers: message.headers) { span in
///     try await handle(message)
/// }
/// ```
extension Tracer {
    /// Runs `operation` in a PRODUCER span named "`operationName` `destination`" and hands it
    /// the message headers with the span's trace context injected.
    ///
    /// The span carries messaging.system, messaging.destination.name,
    /// messaging.operation.type (`send`), messaging.operation.name, and
    /// messaging.message.id / messaging.message.body.size when given. An error thrown by
    /// `operation` is recorded on the span and rethrown. Through swift-metrics, the send counts
    /// in `messaging.client.sent.messages` and its duration in
    /// `messaging.client.operation.duration`, with `error.type` when it threw, recorded inside
    /// the span so that an exemplar names it.
    /// - Parameters:
    ///   - system: the messaging system (`kafka`, `rabbitmq`, `nats`, `redis`, ...).
    ///   - destination: the topic, queue or subject.
    ///   - operationName: the system's name for the operation; default `publish`.
    ///   - messageID: the message id, when the system has one.
    ///   - bodySize: the message body size in bytes, when known.
    ///   - headers: the message's headers before injection.
    ///   - injector: writes the trace context into `headers`.
    ///   - context: the parent context; default the current one.
    ///   - isolation: where `operation` runs; default the caller's actor.
    ///   - operation: publishes the message, given the span and the headers to send.
    public func withPublishSpan<Inject: Injector, Result>(
        system: String,
        destination: String,
        operationName: String = "publish",
        messageID: String? = nil,
        bodySize: Int? = nil,
        headers: Inject.Carrier,
        injector: Inject,
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (Self.Span, Inject.Carrier) async throws -> Result
    ) async rethrows -> Result {
        try await withSpan(
            "\(operationName) \(destination)",
            context: context(),
            ofKind: .producer,
            isolation: isolation
        ) { span in
            span.updateAttributes { attributes in
                attributes.setMessaging(
                    system: system,
                    destination: destination,
                    operationType: "send",
                    operationName: operationName,
                    messageID: messageID,
                    bodySize: bodySize,
                    consumerGroup: nil
                )
            }
            var headers = headers
            inject(span.context, into: &headers, using: injector)
            // Recorded inside the span, so that an exemplar names it.
            let start = ContinuousClock.now
            do {
                let result = try await operation(span, headers)
                MessagingMetrics.recordSend(
                    system: system,
                    destination: destination,
                    operationName: operationName,
                    error: nil,
                    duration: .now - start
                )
                return result
            } catch {
                MessagingMetrics.recordSend(
                    system: system,
                    destination: destination,
                    operationName: operationName,
                    error: error,
                    duration: .now - start
                )
                throw error
            }
        }
    }

    /// ``withPublishSpan(system:destination:operationName:messageID:bodySize:headers:injector:context:isolation:_:)``
    /// for messages whose headers are a `[String: String]`.
    public func withPublishSpan<Result>(
        system: String,
        destination: String,
        operationName: String = "publish",
        messageID: String? = nil,
        bodySize: Int? = nil,
        headers: [String: String] = [:],
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (Self.Span, [String: String]) async throws -> Result
    ) async rethrows -> Result {
        try await withPublishSpan(
            system: system,
            destination: destination,
            operationName: operationName,
            messageID: messageID,
            bodySize: bodySize,
            headers: headers,
            injector: DictionaryInjector(),
            context: context(),
            isolation: isolation,
            operation
        )
    }

    /// Runs `operation` in a CONSUMER span named "`operationName` `destination`" whose parent
    /// is the trace context extracted from the message headers (the producer's span); without
    /// one, the span continues `context`.
    ///
    /// The span carries messaging.system, messaging.destination.name,
    /// messaging.operation.type (`process`), messaging.operation.name, and
    /// messaging.consumer.group.name, messaging.message.id and messaging.message.body.size
    /// when given. An error thrown by `operation` is recorded on the span and rethrown. Through
    /// swift-metrics, its duration goes to `messaging.process.duration`, with `error.type`
    /// when it threw, recorded inside the span so that an exemplar names it.
    /// - Parameters:
    ///   - system: the messaging system (`kafka`, `rabbitmq`, `nats`, `redis`, ...).
    ///   - destination: the topic, queue or subject the message came from.
    ///   - operationName: the system's name for the operation; default `process`.
    ///   - consumerGroup: the consumer group, where the system has them.
    ///   - messageID: the message id, when the system has one.
    ///   - bodySize: the message body size in bytes, when known.
    ///   - headers: the received message's headers.
    ///   - extractor: reads the trace context from `headers`.
    ///   - context: the context to extract into; default the current one.
    ///   - isolation: where `operation` runs; default the caller's actor.
    ///   - operation: handles the message, given the span.
    public func withProcessSpan<Extract: Extractor, Result>(
        system: String,
        destination: String,
        operationName: String = "process",
        consumerGroup: String? = nil,
        messageID: String? = nil,
        bodySize: Int? = nil,
        headers: Extract.Carrier,
        extractor: Extract,
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        var parent = context()
        extract(headers, into: &parent, using: extractor)
        return try await withSpan(
            "\(operationName) \(destination)",
            context: parent,
            ofKind: .consumer,
            isolation: isolation
        ) { span in
            span.updateAttributes { attributes in
                attributes.setMessaging(
                    system: system,
                    destination: destination,
                    operationType: "process",
                    operationName: operationName,
                    messageID: messageID,
                    bodySize: bodySize,
                    consumerGroup: consumerGroup
                )
            }
            let start = ContinuousClock.now
            do {
                let result = try await operation(span)
                MessagingMetrics.recordProcess(
                    system: system,
                    destination: destination,
                    operationName: operationName,
                    consumerGroup: consumerGroup,
                    error: nil,
                    duration: .now - start
                )
                return result
            } catch {
                MessagingMetrics.recordProcess(
                    system: system,
                    destination: destination,
                    operationName: operationName,
                    consumerGroup: consumerGroup,
                    error: error,
                    duration: .now - start
                )
                throw error
            }
        }
    }

    /// ``withProcessSpan(system:destination:operationName:consumerGroup:messageID:bodySize:headers:extractor:context:isolation:_:)``
    /// for messages whose headers are a `[String: String]`.
    public func withProcessSpan<Result>(
        system: String,
        destination: String,
        operationName: String = "process",
        consumerGroup: String? = nil,
        messageID: String? = nil,
        bodySize: Int? = nil,
        headers: [String: String],
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        try await withProcessSpan(
            system: system,
            destination: destination,
            operationName: operationName,
            consumerGroup: consumerGroup,
            messageID: messageID,
            bodySize: bodySize,
            headers: headers,
            extractor: DictionaryExtractor(),
            context: context(),
            isolation: isolation,
            operation
        )
    }
}

extension SpanAttributes {
    fileprivate mutating func setMessaging(
        system: String,
        destination: String,
        operationType: String,
        operationName: String,
        messageID: String?,
        bodySize: Int?,
        consumerGroup: String?
    ) {
        self["messaging.system"] = system
        self["messaging.destination.name"] = destination
        self["messaging.operation.type"] = operationType
        self["messaging.operation.name"] = operationName
        if let messageID { self["messaging.message.id"] = messageID }
        if let bodySize { self["messaging.message.body.size"] = bodySize }
        if let consumerGroup { self["messaging.consumer.group.name"] = consumerGroup }
    }
}
