import OTelSDK
import Tracing

/// A message broker inside the process, standing in for one such as Kafka behind FastStream:
/// subscribers per destination, each message delivered on its own task, the trace context
/// carried in the message headers by the library's messaging helpers.
actor InProcessBroker {
    struct Message: Sendable {
        let id: String
        let body: String
        let headers: [String: String]
    }

    /// Handles a message; a returned body is published to the subscriber's next destination.
    typealias Handler = @Sendable (Message) async throws -> String?

    private struct Subscriber {
        let handler: Handler
        let publishesTo: String?
    }

    private let tracer: OTelTracer
    private var subscribers: [String: Subscriber] = [:]
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextMessageNumber = 0
    private(set) var failures: [String] = []

    init(tracer: OTelTracer) {
        self.tracer = tracer
    }

    /// Registers `handler` for messages to `destination`; what it returns goes to `publishesTo`.
    func subscribe(_ destination: String, publishesTo: String? = nil, handler: @escaping Handler) {
        subscribers[destination] = Subscriber(handler: handler, publishesTo: publishesTo)
    }

    /// Publishes `body` to `destination` in a PRODUCER span, child of the current span.
    func publish(_ body: String, to destination: String) async {
        nextMessageNumber += 1
        let id = "message-\(nextMessageNumber)"
        let message = await tracer.withPublishSpan(
            system: "in-process",
            destination: destination,
            messageID: id,
            bodySize: body.utf8.count
        ) { _, headers in
            Message(id: id, body: body, headers: headers)
        }
        inFlight += 1
        Task { await self.deliver(message, to: destination) }
    }

    /// Returns once every published message has been handled.
    func waitUntilIdle() async {
        guard inFlight > 0 else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func deliver(_ message: Message, to destination: String) async {
        defer {
            inFlight -= 1
            if inFlight == 0 {
                for waiter in idleWaiters { waiter.resume() }
                idleWaiters.removeAll()
            }
        }
        guard let subscriber = subscribers[destination] else {
            failures.append("no subscriber for \(destination)")
            return
        }
        do {
            try await tracer.withProcessSpan(
                system: "in-process",
                destination: destination,
                consumerGroup: "otlp-demo",
                messageID: message.id,
                bodySize: message.body.utf8.count,
                headers: message.headers
            ) { _ in
                if let reply = try await subscriber.handler(message), let next = subscriber.publishesTo {
                    await publish(reply, to: next)
                }
            }
        } catch {
            failures.append("\(destination): \(error)")
        }
    }
}
