import Hummingbird
import Logging
import OTLPExporter
import OTelSDK
import Tracing

/// A Hummingbird service traced and logged with OpenTelemetry: every request gets a server span,
/// and `GET /orders/:id` a child span and a log line, exported as a log record of that span.
///
/// Configured by the environment: `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME` and the
/// other `OTEL_*` variables; `HOST` and `PORT` for the server (default 127.0.0.1:8080).
@main
struct HummingbirdService {
    static func main() async throws {
        // Spans and logs over OTLP, one resource; every log line also goes to standard output,
        // with the trace_id, span_id and trace_flags of the span it was made in.
        let telemetry = try OTLPTelemetry.bootstrap(
            alsoLoggingTo: { StreamLogHandler.standardOutput(label: $0, metadataProvider: .otel) }
        )

        let router = Router()
        // A server span per request, continuing the caller's trace when it sent a traceparent.
        router.add(middleware: TracingMiddleware())
        router.get("orders/:id") { _, context -> String in
            let id = try context.parameters.require("id")
            return try await withSpan("load order") { span in
                span.attributes["order.id"] = id
                context.logger.info("Loading order", metadata: ["order.id": "\(id)"])
                try await Task.sleep(for: .milliseconds(2))  // stands in for a database query
                return "order \(id)\n"
            }
        }

        let environment = Environment()
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(
                    environment.get("HOST") ?? "127.0.0.1",
                    port: environment.get("PORT").flatMap(Int.init) ?? 8080
                )
            ),
            // In the app's ServiceGroup, which shuts services down in reverse order: on SIGTERM
            // or SIGINT the server drains its requests first, then the spans and logs are flushed.
            services: [telemetry],
            logger: Logger(label: "hummingbird-service")
        )
        try await app.runService()
    }
}
