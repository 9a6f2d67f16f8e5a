import Tracing

/// The span type of ``OTelTracer``: recording (sampled in) or not.
///
/// A recording span keeps what it is given (within the provider's ``SpanLimits``) and, when
/// it ends, hands a ``SpanData`` to the span processors. A non-recording span (sampled out,
/// or from a shut-down provider) stores nothing and costs no allocation, but still carries a
/// valid context so that the trace continues downstream.
///
/// Spans are safe to use from several threads. Ending a span a second time does nothing.
public struct OTelSpan: Tracing.Span {
    let recorder: SpanRecorder?
    /// This span's ids, flags and trace state.
    public let spanContext: SpanContext
    /// What ``context`` is made from: the context the span started in (its parent's), or for
    /// a span that `activeSpan(identifiedBy:)` found, the context it was found in. Kept here,
    /// not in the recorder: the recorder goes to the batch worker, and a context that the app
    /// thread retains and the worker releases costs a cache line transfer.
    let baseContext: InstrumentationContext
    /// A non-recording span's name and kind; a recording span's are in its recorder.
    private let startName: String
    private let startKind: SpanKind

    /// A recording span; `spanContext` is its recorder's, which the caller has at hand.
    init(recorder: SpanRecorder, spanContext: SpanContext, baseContext: InstrumentationContext) {
        self.recorder = recorder
        self.spanContext = spanContext
        self.baseContext = baseContext
        self.startName = ""
        self.startKind = .internal
    }

    init(nonRecording spanContext: SpanContext, name: String, kind: SpanKind, parentContext: InstrumentationContext) {
        self.recorder = nil
        self.spanContext = spanContext
        self.baseContext = parentContext
        self.startName = name
        self.startKind = kind
    }

    // MARK: Reading

    // "A function receiving [a read/write span] MUST be able to retrieve all information that
    // was added to the span" (OpenTelemetry trace SDK): what a processor that keeps the span it
    // gets in `onStart` reads while the span runs. A non-recording span keeps nothing but its
    // name, kind and context.

    /// The span's kind.
    public var kind: SpanKind { recorder?.kind ?? startKind }

    /// When the span started, in nanoseconds since the Unix epoch; nil for a non-recording span.
    public var startTimeUnixNano: UInt64? { recorder?.startTimeUnixNano }

    /// The events so far, within the span limits, as they will be exported.
    public var events: [SpanData.Event] { recorder?.events ?? [] }

    /// The links so far, within the span limits, as they will be exported.
    public var links: [SpanData.Link] { recorder?.links ?? [] }

    /// The status; nil while unset, and for a non-recording span.
    public var status: SpanStatus? { recorder?.status }

    /// The library that made the span; nil for a non-recording span.
    public var instrumentationScope: InstrumentationScope? { recorder?.instrumentationScope }

    /// The entity that produces the span, its provider's resource; nil for a non-recording span.
    public var resource: Resource? { recorder?.resource }

    /// The parent's full span context; nil for a root span and for a non-recording span.
    public var parentSpanContext: SpanContext? { recorder?.parentSpanContext }

    // MARK: Recording

    public var context: InstrumentationContext {
        guard let recorder else { return baseContext.with(remote: spanContext) }
        // Made when asked for rather than when the span starts: it copies the context, which
        // most spans never need.
        var context = baseContext
        context[SpanOfContextKey.self] = .recording(recorder)
        return context
    }

    public var operationName: String {
        get { recorder?.name ?? startName }
        nonmutating set { recorder?.name = newValue }
    }

    public var isRecording: Bool { recorder?.isRecording ?? false }

    public var attributes: SpanAttributes {
        get { recorder?.attributes ?? SpanRecorder.noAttributes }
        nonmutating set { recorder?.replaceAttributes(with: newValue) }
    }

    /// Updates the attributes in one call. On a non-recording span the closure is not run.
    ///
    /// The closure receives the current attributes. If other threads change the span's
    /// attributes while it runs, what each changed is kept.
    /// - Parameter update: receives the current attributes to change.
    public func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        recorder?.updateAttributes(update)
    }

    /// Sets one attribute without going through `SpanAttributes`: the fast path for hot code.
    /// Does nothing on a non-recording span.
    /// - Parameters:
    ///   - key: the attribute name.
    ///   - value: the value.
    public func setAttribute(_ key: String, _ value: AttributeValue) {
        recorder?.setAttribute(key, value)
    }

    public func setStatus(_ status: SpanStatus) {
        recorder?.setStatus(status)
    }

    public func addEvent(_ event: SpanEvent) {
        recorder?.addEvent(event)
    }

    /// Adds an "exception" event with `exception.type` and `exception.message`, as the
    /// semantic conventions for exceptions define them.
    public func recordError<Instant: TracerInstant>(
        _ error: any Error,
        attributes: SpanAttributes,
        at instant: @autoclosure () -> Instant
    ) {
        guard let recorder else { return }
        var eventAttributes = attributes
        eventAttributes.set("exception.type", value: .string(String(reflecting: type(of: error))))
        eventAttributes.set("exception.message", value: .string(String(describing: error)))
        recorder.addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    /// Adds a link to the span that `link`'s context belongs to.
    ///
    /// "Implementations SHOULD record links containing SpanContext with empty TraceId or
    /// SpanId (all zeros) as long as either the attribute set or TraceState is non-empty"
    /// (OpenTelemetry Trace API): such a link is kept with the invalid context; one with
    /// nothing to say is not.
    public func addLink(_ link: SpanLink) {
        guard let recorder else { return }
        let context = link.context.spanContext ?? .invalid
        guard context.isValid || !link.attributes.isEmpty || !context.traceState.isEmpty else { return }
        recorder.addLink(context, attributes: link.attributes)
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        recorder?.end(atUnixNano: instant().nanosecondsSinceEpoch)
    }

    /// Ends the span now, as the `Span` protocol's `end()` does, but without its generic
    /// dispatch: what a call on an `OTelSpan` value uses. A non-recording span reads no clock.
    public func end() {
        recorder?.end(atUnixNano: DefaultTracerClock.now.nanosecondsSinceEpoch)
    }
}
