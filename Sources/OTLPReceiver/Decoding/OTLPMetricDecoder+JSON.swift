import OTLPExporter
import OTelSDK

extension OTLPMetricDecoder {
    /// Decodes an OTLP/JSON ExportMetricsServiceRequest: 64-bit integers and counts as strings
    /// or numbers, the temporality as its number or its name, exemplar ids in hex.
    /// - Parameter bytes: the JSON body.
    /// - Throws: ``OTLPDecodingError`` when the body is not such a request.
    package static func decodeJSONRequest(_ bytes: [UInt8]) throws -> [MetricData] {
        guard let request = JSONValue(parsing: bytes), case .object = request else {
            throw OTLPDecodingError.malformedMessage("ExportMetricsServiceRequest (JSON)")
        }
        var metrics: [MetricData] = []
        var references = 0
        for resourceMetrics in try OTLPTraceDecoder.objects(request["resourceMetrics"], "resourceMetrics") {
            let resource = try OTLPTraceDecoder.jsonResource(of: resourceMetrics, references: &references).resource
            for scopeMetrics in try OTLPTraceDecoder.objects(resourceMetrics["scopeMetrics"], "scopeMetrics") {
                let scope = try OTLPTraceDecoder.jsonScope(of: scopeMetrics, references: &references)
                for metric in try OTLPTraceDecoder.objects(scopeMetrics["metrics"], "metrics") {
                    metrics.append(
                        MetricData(
                            name: metric["name"]?.string ?? "",
                            description: metric["description"]?.string ?? "",
                            unit: metric["unit"]?.string ?? "",
                            points: try jsonPoints(of: metric, references: &references),
                            resource: resource,
                            instrumentationScope: scope
                        )
                    )
                }
            }
        }
        return metrics
    }

    private static func jsonPoints(of metric: JSONValue, references: inout Int) throws -> MetricData.Points {
        func dataPoints(_ holder: JSONValue) throws -> [JSONValue] {
            try OTLPTraceDecoder.objects(holder["dataPoints"], "dataPoints")
        }
        if let gauge = try OTLPTraceDecoder.object(metric["gauge"], "gauge") {
            return .gauge(try dataPoints(gauge).map { try jsonNumberPoint($0, references: &references) })
        }
        if let sum = try OTLPTraceDecoder.object(metric["sum"], "sum") {
            return .sum(
                try dataPoints(sum).map { try jsonNumberPoint($0, references: &references) },
                temporality: try jsonTemporality(sum["aggregationTemporality"]),
                isMonotonic: sum["isMonotonic"]?.bool ?? false
            )
        }
        if let histogram = try OTLPTraceDecoder.object(metric["histogram"], "histogram") {
            return .histogram(
                try dataPoints(histogram).map { try jsonHistogramPoint($0, references: &references) },
                temporality: try jsonTemporality(histogram["aggregationTemporality"])
            )
        }
        if let histogram = try OTLPTraceDecoder.object(metric["exponentialHistogram"], "exponentialHistogram") {
            return .exponentialHistogram(
                try dataPoints(histogram).map { try jsonExponentialPoint($0, references: &references) },
                temporality: try jsonTemporality(histogram["aggregationTemporality"])
            )
        }
        return .gauge([])
    }

    private static func jsonTemporality(_ value: JSONValue?) throws -> AggregationTemporality {
        switch value?.string {
        case "AGGREGATION_TEMPORALITY_DELTA": return .delta
        case "AGGREGATION_TEMPORALITY_CUMULATIVE": return .cumulative
        default:
            return try temporality(
                UInt32(truncatingIfNeeded: try OTLPTraceDecoder.integer(value, "aggregationTemporality"))
            )
        }
    }

    private static func unsigned(_ value: JSONValue?, _ field: String) throws -> UInt64 {
        UInt64(bitPattern: try OTLPTraceDecoder.integer(value, field))
    }

    private static func optionalDouble(_ value: JSONValue?) throws -> Double? {
        guard let value, value != .null else { return nil }
        return try OTLPTraceDecoder.double(value)
    }

    private static func list(_ value: JSONValue?, _ field: String) throws -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?: return elements
        default: throw OTLPDecodingError.malformedMessage("\(field) is not a list")
        }
    }

    private static func jsonValue(_ point: JSONValue) throws -> MetricValue {
        if let int = point["asInt"] { return .int(try OTLPTraceDecoder.integer(int, "asInt")) }
        return .double(try optionalDouble(point["asDouble"]) ?? 0)
    }

    private static func jsonNumberPoint(_ point: JSONValue, references: inout Int) throws -> NumberDataPoint {
        NumberDataPoint(
            attributes: try OTLPTraceDecoder.jsonAttributes(point, references: &references).kept,
            startTimeUnixNano: try unsigned(point["startTimeUnixNano"], "startTimeUnixNano"),
            timeUnixNano: try unsigned(point["timeUnixNano"], "timeUnixNano"),
            value: try jsonValue(point),
            exemplars: try jsonExemplars(point, references: &references)
        )
    }

    private static func jsonHistogramPoint(_ point: JSONValue, references: inout Int) throws -> HistogramDataPoint {
        HistogramDataPoint(
            attributes: try OTLPTraceDecoder.jsonAttributes(point, references: &references).kept,
            startTimeUnixNano: try unsigned(point["startTimeUnixNano"], "startTimeUnixNano"),
            timeUnixNano: try unsigned(point["timeUnixNano"], "timeUnixNano"),
            count: try unsigned(point["count"], "count"),
            sum: try optionalDouble(point["sum"]),
            min: try optionalDouble(point["min"]),
            max: try optionalDouble(point["max"]),
            explicitBounds: try list(point["explicitBounds"], "explicitBounds").map { try OTLPTraceDecoder.double($0) },
            bucketCounts: try list(point["bucketCounts"], "bucketCounts").map { try unsigned($0, "bucketCounts") },
            exemplars: try jsonExemplars(point, references: &references)
        )
    }

    private static func jsonExponentialPoint(
        _ point: JSONValue,
        references: inout Int
    ) throws -> ExponentialHistogramDataPoint {
        func buckets(_ field: String) throws -> ExponentialHistogramDataPoint.Buckets {
            guard let buckets = try OTLPTraceDecoder.object(point[field], field) else {
                return .init(offset: 0, bucketCounts: [])
            }
            return .init(
                offset: Int32(truncatingIfNeeded: try OTLPTraceDecoder.integer(buckets["offset"], "offset")),
                bucketCounts: try list(buckets["bucketCounts"], "bucketCounts").map { try unsigned($0, "bucketCounts") }
            )
        }
        return ExponentialHistogramDataPoint(
            attributes: try OTLPTraceDecoder.jsonAttributes(point, references: &references).kept,
            startTimeUnixNano: try unsigned(point["startTimeUnixNano"], "startTimeUnixNano"),
            timeUnixNano: try unsigned(point["timeUnixNano"], "timeUnixNano"),
            count: try unsigned(point["count"], "count"),
            sum: try optionalDouble(point["sum"]),
            min: try optionalDouble(point["min"]),
            max: try optionalDouble(point["max"]),
            scale: Int32(truncatingIfNeeded: try OTLPTraceDecoder.integer(point["scale"], "scale")),
            zeroCount: try unsigned(point["zeroCount"], "zeroCount"),
            zeroThreshold: try optionalDouble(point["zeroThreshold"]) ?? 0,
            positive: try buckets("positive"),
            negative: try buckets("negative"),
            exemplars: try jsonExemplars(point, references: &references)
        )
    }

    private static func jsonExemplars(_ point: JSONValue, references: inout Int) throws -> [Exemplar] {
        try OTLPTraceDecoder.objects(point["exemplars"], "exemplars").map { exemplar in
            let traceHex = exemplar["traceId"]?.string ?? ""
            let spanHex = exemplar["spanId"]?.string ?? ""
            return Exemplar(
                filteredAttributes: try OTLPTraceDecoder.jsonAttributes(
                    .object(["attributes": exemplar["filteredAttributes"] ?? .null]),
                    references: &references
                ).kept,
                timeUnixNano: try unsigned(exemplar["timeUnixNano"], "timeUnixNano"),
                value: try jsonValue(exemplar),
                traceID: traceHex.isEmpty ? nil : try OTLPTraceDecoder.traceID(.string(traceHex), "traceId"),
                spanID: spanHex.isEmpty ? nil : try OTLPTraceDecoder.spanID(.string(spanHex), "spanId")
            )
        }
    }
}
