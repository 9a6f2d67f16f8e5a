/// One ExportTraceServiceRequest as a sender on opentelemetry-proto 1.11 may write it, in
/// protobuf and in OTLP/JSON: a resource with `entity_refs`, and attributes whose key
/// (`key_strindex`) or string value (`string_value_strindex`) is an index into the profiles
/// signal's string table, which a trace request does not have.
///
/// What a decoder should make of it: the span, with the attributes it can read; the
/// resource's two entity references; seven string-table references, four attributes dropped
/// for them (see each field's comment).
public enum NewerSenderRequest {
    public static let traceIDHex = "5b8efff798038103d269b633813fc60c"
    public static let spanIDHex = "eee19b7ec3c1b174"
    public static let linkedSpanIDHex = "00f067aa0ba902b7"
    public static let serviceSchemaURL = "https://opentelemetry.io/schemas/1.37.0"
    /// Every `key_strindex` and `string_value_strindex` in the request.
    public static let stringTableReferenceCount = 7

    private typealias Field = ProtobufField

    private static func keyValue(_ key: String, _ value: [UInt8]) -> [UInt8] {
        Field.string(1, key) + Field.lengthDelimited(2, value)
    }

    private static func stringValue(_ text: String) -> [UInt8] { Field.string(1, text) }
    private static func stringValueIndex(_ index: UInt64) -> [UInt8] { Field.varint(8, index) }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// The request in protobuf.
    public static var protobuf: [UInt8] {
        let resource =
            Field.lengthDelimited(1, keyValue("service.name", stringValue("newer-sender")))
            + Field.lengthDelimited(1, keyValue("host.id", stringValue("h-1")))
            + Field.lengthDelimited(1, keyValue("host.name", stringValue("build-7")))
            // Key only as an index: dropped (resource dropped_attributes_count 0 + 1).
            + Field.lengthDelimited(1, Field.varint(3, 4) + Field.lengthDelimited(2, stringValue("from-dictionary")))
            + Field.lengthDelimited(
                3,
                Field.string(1, serviceSchemaURL) + Field.string(2, "service") + Field.string(3, "service.name")
            )
            + Field.lengthDelimited(
                3,
                Field.string(2, "host") + Field.string(3, "host.id") + Field.string(4, "host.name")
            )
        let spanAttributes =
            Field.lengthDelimited(9, keyValue("http.request.method", stringValue("GET")))
            // Key only as an index: dropped.
            + Field.lengthDelimited(9, Field.varint(3, 7) + Field.lengthDelimited(2, stringValue("x")))
            // Value only as an index: dropped.
            + Field.lengthDelimited(9, keyValue("peer.service", stringValueIndex(3)))
            // An array with an element that is an index: dropped.
            + Field.lengthDelimited(
                9,
                keyValue(
                    "tags",
                    Field.lengthDelimited(
                        5,
                        Field.lengthDelimited(1, stringValue("a")) + Field.lengthDelimited(1, stringValueIndex(2))
                    )
                )
            )
            // A key and an index both (which the specification forbids): the key is kept.
            + Field.lengthDelimited(9, keyValue("retries", Field.varint(3, 5)) + Field.varint(3, 9))
        // Index 0 still counts: the oneof says the value is an index.
        let event =
            Field.fixed64(1, 1_700_000_000_000_000_500) + Field.string(2, "retry")
            + Field.lengthDelimited(3, keyValue("attempt", stringValueIndex(0)))
        let link =
            Field.lengthDelimited(1, bytes(hex: traceIDHex)) + Field.lengthDelimited(2, bytes(hex: linkedSpanIDHex))
            + Field.lengthDelimited(4, Field.varint(3, 1) + Field.lengthDelimited(2, Field.varint(2, 1)))
        let span =
            Field.lengthDelimited(1, bytes(hex: traceIDHex)) + Field.lengthDelimited(2, bytes(hex: spanIDHex))
            + Field.string(5, "checkout") + Field.varint(6, 2)
            + Field.fixed64(7, 1_700_000_000_000_000_000) + Field.fixed64(8, 1_700_000_000_000_001_000)
            + spanAttributes + Field.varint(10, 1)
            + Field.lengthDelimited(11, event) + Field.lengthDelimited(13, link)
        let scopeSpans = Field.lengthDelimited(1, Field.string(1, "newer-library")) + Field.lengthDelimited(2, span)
        let resourceSpans = Field.lengthDelimited(1, resource) + Field.lengthDelimited(2, scopeSpans)
        return Field.lengthDelimited(1, resourceSpans)
    }

    /// The same request in OTLP/JSON.
    public static var json: [UInt8] {
        Array(
            """
            {"resourceSpans":[{
              "resource":{
                "attributes":[
                  {"key":"service.name","value":{"stringValue":"newer-sender"}},
                  {"key":"host.id","value":{"stringValue":"h-1"}},
                  {"key":"host.name","value":{"stringValue":"build-7"}},
                  {"keyStrindex":4,"value":{"stringValue":"from-dictionary"}}
                ],
                "entityRefs":[
                  {"schemaUrl":"\(serviceSchemaURL)","type":"service","idKeys":["service.name"]},
                  {"type":"host","idKeys":["host.id"],"descriptionKeys":["host.name"]}
                ]
              },
              "scopeSpans":[{
                "scope":{"name":"newer-library"},
                "spans":[{
                  "traceId":"\(traceIDHex)","spanId":"\(spanIDHex)","name":"checkout","kind":2,
                  "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000001000",
                  "attributes":[
                    {"key":"http.request.method","value":{"stringValue":"GET"}},
                    {"keyStrindex":7,"value":{"stringValue":"x"}},
                    {"key":"peer.service","value":{"stringValueStrindex":3}},
                    {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValueStrindex":2}]}}},
                    {"key":"retries","keyStrindex":9,"value":{"intValue":"5"}}
                  ],
                  "droppedAttributesCount":1,
                  "events":[{"timeUnixNano":"1700000000000000500","name":"retry",
                    "attributes":[{"key":"attempt","value":{"stringValueStrindex":0}}]}],
                  "links":[{"traceId":"\(traceIDHex)","spanId":"\(linkedSpanIDHex)",
                    "attributes":[{"keyStrindex":1,"value":{"boolValue":true}}]}]
                }]
              }]
            }]}
            """.utf8
        )
    }
}
