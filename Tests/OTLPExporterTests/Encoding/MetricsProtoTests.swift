import COTLPProto
import Testing

/// proto/opentelemetry/proto/metrics/v1/metrics.proto writes the specification's proto3
/// `optional` fields (a histogram's sum, min and max) as one-field oneofs, which protoc-c takes.
/// On the wire that must be what `optional` is: a field present when set, even to zero, and
/// absent when not.
@Suite("Metrics protos")
struct MetricsProtoTests {
    private func packed(_ point: inout Opentelemetry__Proto__Metrics__V1__HistogramDataPoint) -> [UInt8] {
        let size = opentelemetry__proto__metrics__v1__histogram_data_point__get_packed_size(&point)
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBufferPointer {
            opentelemetry__proto__metrics__v1__histogram_data_point__pack(&point, $0.baseAddress)
        }
        return Array(bytes[..<written])
    }

    @Test("a histogram's sum is sent when set, zero included, and min and max only when set")
    func optionalFieldsOnTheWire() {
        var point = Opentelemetry__Proto__Metrics__V1__HistogramDataPoint()
        opentelemetry__proto__metrics__v1__histogram_data_point__init(&point)
        point.count = 2
        #expect(packed(&point) == [0x21, 2, 0, 0, 0, 0, 0, 0, 0], "count (field 4, fixed64) alone")

        point._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
        point.sum = 0
        point._max_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX
        point.max = 1.5
        // count; sum = 0.0 (field 5, fixed64: tag 0x29); max = 1.5 (field 12: tag 0x61); no min (0x59).
        let expected: [UInt8] =
            [0x21, 2, 0, 0, 0, 0, 0, 0, 0] + [0x29] + [UInt8](repeating: 0, count: 8)
            + [0x61] + withUnsafeBytes(of: (1.5 as Double).bitPattern.littleEndian, Array.init)
        #expect(packed(&point) == expected)
    }
}
