@_spi(Benchmarks) import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

/// The encoder packs most batches without sizing them first, into room for a bound the tree
/// builder keeps: the bound must never be below what protobuf-c writes, whatever the spans hold.
@Suite("Packed size bound")
struct PackedSizeBoundTests {
    @Test("the bound holds for batches of every shape, shared attributes and names included", arguments: 0..<200)
    func boundHolds(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        let encoder = OTLPProtobufTraceEncoder()
        let batch = Self.batch(using: &random)
        encoder.buildTree(batch)
        let (bound, exact) = encoder.builtTreeSizes()
        #expect(bound >= exact, "seed \(seed): bound \(bound) < packed \(exact)")
        // What the encoder sends is that tree, whole.
        var requests: [[UInt8]] = []
        encoder.encode(batch) { requests.append(Array($0.bytes)) }
        #expect(try requests.flatMap { try OTLPTraceDecoder.decodeRequest($0) }.count == batch.count)
    }

    @Test("the bound counts what many spans share once in the tree: a long name, a long attribute, a long event name")
    func sharedParts() {
        let resource = Resource(attributes: ["service.name": "shared"])
        let scope = InstrumentationScope(name: "shared")
        let long = String(repeating: "n", count: 50_000)
        let batch = (0..<100).map { index in
            SpanData(
                context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(UInt64(index + 1))),
                name: long,
                startTimeUnixNano: 1,
                endTimeUnixNano: 2,
                attributes: [Attribute("payload", .string(long)), Attribute(long, .int(-1))],
                events: [SpanData.Event(name: long, timeUnixNano: 3)],
                resource: resource,
                instrumentationScope: scope
            )
        }
        let encoder = OTLPProtobufTraceEncoder(maximumRequestBytes: 64 * 1024 * 1024)
        encoder.buildTree(batch)
        let (bound, exact) = encoder.builtTreeSizes()
        #expect(bound >= exact, "bound \(bound) < packed \(exact)")
    }

    static func batch(using random: inout SplitMix64) -> [SpanData] {
        let resources = (0..<Int.random(in: 1...3, using: &random)).map { index in
            Resource(
                attributes: attributes(using: &random) + [Attribute("service.name", .string("service-\(index)"))],
                schemaURL: Bool.random(using: &random) ? "https://opentelemetry.io/schemas/1.26.0" : nil
            )
        }
        let scopes = (0..<Int.random(in: 1...3, using: &random)).map { index in
            InstrumentationScope(
                name: "scope-\(index)",
                version: Bool.random(using: &random) ? "1.\(index)" : nil,
                schemaURL: Bool.random(using: &random) ? "https://example.test/\(text(using: &random))" : nil,
                attributes: attributes(using: &random)
            )
        }
        // A few names and attribute sets that spans share, as spans of one call site do.
        let sharedNames = (0..<3).map { _ in text(using: &random) }
        let sharedAttributes = (0..<3).map { _ in attributes(using: &random) }
        return (0..<Int.random(in: 1...300, using: &random)).map { index in
            let traceID = TraceID(
                high: UInt64.random(in: 0...3, using: &random),
                low: 1 + UInt64.random(in: 0...3, using: &random)
            )
            var spanAttributes = sharedAttributes.randomElement(using: &random)!
            if Bool.random(using: &random) { spanAttributes += attributes(using: &random) }
            return SpanData(
                context: SpanContext(
                    traceID: traceID,
                    spanID: SpanID(UInt64(index + 1)),
                    traceFlags: Bool.random(using: &random) ? [.sampled, .random] : [],
                    traceState: Bool.random(using: &random)
                        ? .empty : TraceState(headerValue: "rojo=\(text(using: &random, alphabet: "abc123"))") ?? .empty
                ),
                parentSpanContext: Bool.random(using: &random)
                    ? SpanContext(
                        traceID: traceID,
                        spanID: SpanID(UInt64.random(in: 1...4, using: &random)),
                        isRemote: Bool.random(using: &random)
                    ) : nil,
                name: Bool.random(using: &random) ? sharedNames.randomElement(using: &random)! : text(using: &random),
                kind: [SpanKind.internal, .server, .client, .producer, .consumer].randomElement(using: &random)!,
                startTimeUnixNano: UInt64.random(in: 0...UInt64.max / 2, using: &random),
                endTimeUnixNano: UInt64.random(in: UInt64.max / 2...UInt64.max, using: &random),
                attributes: spanAttributes,
                events: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                    SpanData.Event(
                        name: Bool.random(using: &random) ? "ack" : text(using: &random),
                        timeUnixNano: UInt64.random(in: 0...UInt64.max, using: &random),
                        attributes: attributes(using: &random),
                        droppedAttributeCount: Int.random(in: 0...9, using: &random)
                    )
                },
                links: (0..<Int.random(in: 0...2, using: &random)).map { _ in
                    SpanData.Link(
                        context: SpanContext(
                            traceID: TraceID(high: .random(in: 1...UInt64.max, using: &random), low: 0),
                            spanID: SpanID(.random(in: 1...UInt64.max, using: &random)),
                            traceState: TraceState(headerValue: "congo=\(text(using: &random, alphabet: "xyz"))")
                                ?? .empty,
                            isRemote: Bool.random(using: &random)
                        ),
                        attributes: attributes(using: &random)
                    )
                },
                status: [nil, SpanStatus(code: .ok), SpanStatus(code: .error, message: text(using: &random))]
                    .randomElement(using: &random)!,
                droppedAttributeCount: Int.random(in: 0...1_000_000, using: &random),
                droppedEventCount: Int.random(in: 0...3, using: &random),
                droppedLinkCount: Int.random(in: 0...3, using: &random),
                resource: resources.randomElement(using: &random)!,
                instrumentationScope: scopes.randomElement(using: &random)!
            )
        }
    }

    /// Up to 8 attributes of every value type, with negative numbers (10-byte varints),
    /// empty and long strings, and empty arrays.
    static func attributes(using random: inout SplitMix64) -> [Attribute] {
        (0..<Int.random(in: 0...8, using: &random)).map { index in
            let key = Bool.random(using: &random) ? "key.\(index)" : text(using: &random)
            let value: AttributeValue =
                switch Int.random(in: 0..<8, using: &random) {
                case 0: .string(text(using: &random))
                case 1: .bool(Bool.random(using: &random))
                case 2: .int(Int64.random(in: .min ... .max, using: &random))
                case 3: .double(Double.random(in: -1e300...1e300, using: &random))
                case 4: .stringArray((0..<Int.random(in: 0...5, using: &random)).map { _ in text(using: &random) })
                case 5: .boolArray((0..<Int.random(in: 0...5, using: &random)).map { _ in Bool.random(using: &random) })
                case 6:
                    .intArray(
                        (0..<Int.random(in: 0...5, using: &random)).map { _ in
                            Int64.random(in: .min ... -1, using: &random)
                        }
                    )
                default:
                    .doubleArray(
                        (0..<Int.random(in: 0...5, using: &random)).map { _ in Double.random(in: -1...1, using: &random)
                        }
                    )
                }
            return Attribute(key.isEmpty ? "k" : key, value)
        }
    }

    /// Empty to a few hundred characters, some of them outside ASCII.
    static func text(using random: inout SplitMix64, alphabet: String = "abcdefghij klmnop.é漢🙂") -> String {
        let characters = Array(alphabet)
        let length = [0, 1, 5, 30, 200, 700].randomElement(using: &random)!
        return String((0..<length).map { _ in characters.randomElement(using: &random)! })
    }
}
