import OTelSDK

/// Metrics for the encoder, exporter and receiver tests: one of each kind of point.
public enum MetricFixtures {
    public static let resource = Resource(attributes: ["service.name": "metrics-test"])
    public static let scope = InstrumentationScope(name: "checkout", version: "1.0")
    public static let otherScope = InstrumentationScope(name: "swift-metrics")
    public static let traceID = TraceID(hexString: "0af7651916cd43dd8448eb211c80319c")!
    public static let spanID = SpanID(hexString: "b7ad6b7169203331")!
    public static let start: UInt64 = 1_700_000_000_000_000_000
    public static let end: UInt64 = 1_700_000_060_000_000_000

    /// One metric of each kind, one point each (`sent` the sum's value); the histogram's
    /// exemplar names a span.
    public static func everyKind(sent: Int64 = 42) -> [MetricData] {
        let queue = [Attribute("messaging.destination.name", "orders")]
        return [
            MetricData(
                name: "messaging.client.sent.messages",
                unit: "{message}",
                points: .sum(
                    [
                        NumberDataPoint(
                            attributes: queue,
                            startTimeUnixNano: start,
                            timeUnixNano: end,
                            value: .int(sent)
                        )
                    ],
                    temporality: .cumulative,
                    isMonotonic: true
                ),
                resource: resource,
                instrumentationScope: scope
            ),
            MetricData(
                name: "process.memory",
                description: "resident memory",
                unit: "By",
                points: .gauge([
                    NumberDataPoint(attributes: [], startTimeUnixNano: 0, timeUnixNano: end, value: .double(1.5e6))
                ]),
                resource: resource,
                instrumentationScope: otherScope
            ),
            MetricData(
                name: "messaging.process.duration",
                unit: "s",
                points: .histogram(
                    [
                        HistogramDataPoint(
                            attributes: queue,
                            startTimeUnixNano: start,
                            timeUnixNano: end,
                            count: 3,
                            sum: 0.35,
                            min: 0.05,
                            max: 0.2,
                            explicitBounds: [0.1, 0.25],
                            bucketCounts: [1, 2, 0],
                            exemplars: [
                                Exemplar(timeUnixNano: end - 5, value: .double(0.2), traceID: traceID, spanID: spanID)
                            ]
                        )
                    ],
                    temporality: .delta
                ),
                resource: resource,
                instrumentationScope: scope
            ),
            MetricData(
                name: "request.size",
                unit: "By",
                points: .exponentialHistogram(
                    [
                        ExponentialHistogramDataPoint(
                            attributes: [],
                            startTimeUnixNano: start,
                            timeUnixNano: end,
                            count: 4,
                            sum: nil,
                            min: -2,
                            max: 300,
                            scale: 3,
                            zeroCount: 1,
                            positive: .init(offset: 60, bucketCounts: [1, 0, 1]),
                            negative: .init(offset: -2, bucketCounts: [1])
                        )
                    ],
                    temporality: .cumulative
                ),
                resource: resource,
                instrumentationScope: scope
            ),
        ]
    }
}
