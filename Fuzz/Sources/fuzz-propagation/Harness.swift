import FuzzDriver
import OTelSDK
import Tracing

// traceparent, tracestate and baggage parsing through the tracer's `extract`: the input is the
// three header values separated by NUL bytes. Whatever parses must survive a round trip
// through `inject` and `extract` unchanged.

private let tracer = TracerProvider(environment: OTelEnvironment([:])).tracer(name: "fuzz")

@main
enum Harness {
    static func main() { runFuzzer(fuzzPropagation) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPropagation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let parts = UnsafeBufferPointer(start: data, count: size).split(
        separator: 0,
        maxSplits: 2,
        omittingEmptySubsequences: false
    )
    let names = ["traceparent", "tracestate", "baggage"]
    var headers: [String: String] = [:]
    for (name, part) in zip(names, parts) {
        headers[name] = String(decoding: part, as: UTF8.self)
    }
    var context = ServiceContext.topLevel
    tracer.extract(headers, into: &context, using: DictionaryExtractor())

    var injected: [String: String] = [:]
    tracer.inject(context, into: &injected, using: DictionaryInjector())
    var again = ServiceContext.topLevel
    tracer.extract(injected, into: &again, using: DictionaryExtractor())
    precondition(again.spanContext == context.spanContext, "the span context changed in a round trip: \(headers)")
    precondition(again.baggage == context.baggage, "the baggage changed in a round trip: \(headers)")
    return 0
}
