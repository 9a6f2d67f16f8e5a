import Tracing

/// A swift-distributed-tracing `Tracer` that records OpenTelemetry spans.
///
/// Get one from ``TracerProvider/tracer(name:version:schemaURL:attributes:)`` and bootstrap
/// it: `InstrumentationSystem.bootstrap(provider.tracer(name: "checkout"))`. Its `inject` and
/// `extract` speak W3C Trace Context and W3C Baggage, as the provider's ``Propagators`` say.
public struct OTelTracer: Tracer {
    public typealias Span = OTelSpan

    /// `provider.core`, held directly: every span start reads it.
    private let core: TracerProviderCore
    /// Kept so that the provider lives while its tracers do (see ``TracerProvider``'s deinit).
    private let provider: TracerProvider
    /// The library this tracer reports as the spans' instrumentation scope.
    public let instrumentationScope: InstrumentationScope

    init(provider: TracerProvider, instrumentationScope: InstrumentationScope) {
        self.core = provider.core
        self.provider = provider
        self.instrumentationScope = instrumentationScope
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> InstrumentationContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> OTelSpan {
        startSpan(
            operationName,
            parentContext: context(),
            kind: kind,
            startTimeUnixNano: instant().nanosecondsSinceEpoch
        )
    }

    /// Starts a span now, as the `Tracer` protocol's `startSpan` without `at:` does, but
    /// without its generic dispatch (the protocol's is not inlinable, so it runs
    /// unspecialized): what a call on an `OTelTracer` value uses.
    /// - Parameters:
    ///   - operationName: the span's name.
    ///   - context: the context to take the parent span from; by default the task's current one.
    ///   - kind: the span's kind; by default `.internal`.
    ///   - function: where the span starts (not recorded).
    ///   - fileID: where the span starts (not recorded).
    ///   - line: where the span starts (not recorded).
    /// - Returns: the span, recording or not as the sampler decided.
    public func startSpan(
        _ operationName: String,
        context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
        ofKind kind: SpanKind = .internal,
        function: String = #function,
        file fileID: String = #fileID,
        line: UInt = #line
    ) -> OTelSpan {
        startSpan(
            operationName,
            parentContext: context(),
            kind: kind,
            startTimeUnixNano: DefaultTracerClock.now.nanosecondsSinceEpoch
        )
    }

    /// The start time is read only when the span records. `parentContext` is consumed: the
    /// span keeps it, moved rather than copied.
    private func startSpan(
        _ operationName: String,
        parentContext: consuming InstrumentationContext,
        kind: SpanKind,
        startTimeUnixNano: @autoclosure () -> UInt64
    ) -> OTelSpan {
        let parent = parentContext.spanContext.flatMap { $0.isValid ? $0 : nil }
        guard core.isRecording else {
            // A disabled or shut-down provider behaves as the API without an SDK: "the API MUST
            // return a non-recording Span with the SpanContext in the parent Context", so the
            // trace passes on unchanged, and a root span has an invalid context, injected nowhere.
            return OTelSpan(
                nonRecording: parent ?? .invalid,
                name: operationName,
                kind: kind,
                parentContext: parentContext
            )
        }
        let traceID = parent?.traceID ?? core.idGenerator.newTraceID()
        let spanID = core.idGenerator.newSpanID()

        let sampling = core.sampler.shouldSample(parent: parent, traceID: traceID, name: operationName, kind: kind)
        // A continued trace keeps the caller's random flag; a new one has it when the generator
        // says its trace ids are random.
        var flags = parent.map { $0.traceFlags.intersection(.random) } ?? core.newTraceFlags
        if sampling.decision == .recordAndSample {
            flags.insert(.sampled)
        }
        let spanContext = SpanContext(
            traceID: traceID,
            spanID: spanID,
            traceFlags: flags,
            traceState: sampling.traceState ?? parent?.traceState ?? .empty
        )
        guard sampling.decision != .drop else {
            return OTelSpan(nonRecording: spanContext, name: operationName, kind: kind, parentContext: parentContext)
        }

        let recorder = SpanRecorder(
            name: operationName,
            spanContext: spanContext,
            parent: parent,
            parentTraceStateIfReplaced: sampling.traceState == nil ? nil : parent?.traceState,
            kind: kind,
            startTimeUnixNano: startTimeUnixNano(),
            scope: instrumentationScope,
            core: core
        )
        for attribute in sampling.attributes {
            recorder.setAttribute(attribute.key, attribute.value)
        }
        let span = OTelSpan(recorder: consume recorder, spanContext: spanContext, baseContext: parentContext)
        core.startProcessors?.onStart(span, parentContext: span.baseContext)
        return span
    }

    /// The recording span that `context` belongs to, if it is one of this SDK's.
    ///
    /// The span's `context` is then `context` itself (values added to it since the span
    /// started included), not the one the span started with.
    /// - Parameter context: a context with a span in it, such as a span's `context`.
    /// - Returns: the span, or nil when `context` holds no local recording span.
    public func activeSpan(identifiedBy context: InstrumentationContext) -> OTelSpan? {
        guard case .recording(let recorder)? = context[SpanOfContextKey.self] else { return nil }
        return OTelSpan(recorder: recorder, spanContext: recorder.spanContext, baseContext: context)
    }

    /// Flushes the provider's processors (swift-distributed-tracing's `forceFlush`).
    public func forceFlush() {
        for processor in core.processors {
            _ = processor.forceFlush(timeout: .seconds(30))
        }
    }

    // MARK: Propagation

    public func inject<Carrier, Inject>(
        _ context: InstrumentationContext,
        into carrier: inout Carrier,
        using injector: Inject
    ) where Inject: Injector, Inject.Carrier == Carrier {
        if core.propagators.contains(.traceContext), let spanContext = context.spanContext, spanContext.isValid {
            injector.inject(W3CTraceParent.format(spanContext), forKey: W3CTraceParent.headerName, into: &carrier)
            if !spanContext.traceState.isEmpty {
                injector.inject(spanContext.traceState.headerValue, forKey: "tracestate", into: &carrier)
            }
        }
        if core.propagators.contains(.baggage), let baggage = context.baggage, !baggage.isEmpty {
            injector.inject(W3CBaggage.format(baggage), forKey: W3CBaggage.headerName, into: &carrier)
        }
    }

    public func extract<Carrier, Extract>(
        _ carrier: Carrier,
        into context: inout InstrumentationContext,
        using extractor: Extract
    ) where Extract: Extractor, Extract.Carrier == Carrier {
        if core.propagators.contains(.traceContext),
            let header = extractor.extract(key: W3CTraceParent.headerName, from: carrier),
            let parent = W3CTraceParent.parse(header)
        {
            // An invalid tracestate is dropped on its own; the traceparent still counts.
            let traceState = extractor.extract(key: "tracestate", from: carrier).flatMap { TraceState(headerValue: $0) }
            context = context.with(
                remote: SpanContext(
                    traceID: parent.traceID,
                    spanID: parent.spanID,
                    traceFlags: parent.traceFlags,
                    traceState: traceState ?? .empty,
                    isRemote: true
                )
            )
        }
        if core.propagators.contains(.baggage),
            let header = extractor.extract(key: W3CBaggage.headerName, from: carrier),
            let baggage = W3CBaggage.parse(header), !baggage.isEmpty
        {
            context.baggage = baggage
        }
    }
}
