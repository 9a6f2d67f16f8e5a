import OTelSDK

/// Writes OTLP/JSON, as the OTLP JSON mapping has it: lowerCamelCase field names, 64-bit
/// integers as decimal strings, NaN and the infinities as strings; what every signal's JSON
/// encoder shares (resources, scopes, attributes, values). protobuf-c has no JSON, so the
/// writer is the project's own.
struct OTLPJSONWriter {
    private(set) var output: [UInt8] = []

    mutating func reset() {
        output.removeAll(keepingCapacity: true)
    }

    /// Takes back what was written after `count` bytes.
    mutating func truncate(to count: Int) {
        output.removeSubrange(count...)
    }

    mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    /// One request's body: `{"resourceLogs":[...]}` (for `signalName` "Logs"), `items` grouped
    /// by resource and scope, each written by `item` inside the scope's `itemsField` array.
    mutating func request<Item: ResourceScoped>(
        _ items: ArraySlice<Item>,
        signalName: String,
        itemsField: String,
        _ item: (inout OTLPJSONWriter, Item) -> Void
    ) {
        reset()
        append("{\"resource\(signalName)\":[")
        for (resourceIndex, resourceGroup) in ResourceScopeGroups(items).resources.enumerated() {
            if resourceIndex > 0 { append(",") }
            append("{")
            resource(resourceGroup.resource)
            append(",\"scope\(signalName)\":[")
            for (scopeIndex, scopeGroup) in resourceGroup.scopes.enumerated() {
                if scopeIndex > 0 { append(",") }
                append("{")
                scope(scopeGroup.scope)
                append(",\"\(itemsField)\":[")
                for (position, index) in scopeGroup.indices.enumerated() {
                    if position > 0 { append(",") }
                    item(&self, items[index])
                }
                append("]")
                schemaURL(scopeGroup.scope.schemaURL)
                append("}")
            }
            append("]")
            schemaURL(resourceGroup.resource.schemaURL)
            append("}")
        }
        append("]}")
    }

    /// `,"schemaUrl":...` when there is one.
    private mutating func schemaURL(_ url: String?) {
        guard let url else { return }
        append(",\"schemaUrl\":")
        string(url)
    }

    /// `"resource":{...}` with the resource's attributes and dropped count.
    mutating func resource(_ resource: Resource) {
        append("\"resource\":{")
        attributes(resource.attributes)
        append(",\"droppedAttributesCount\":\(resource.droppedAttributeCount)}")
    }

    /// `"scope":{...}` with the scope's name, version, attributes and dropped count.
    mutating func scope(_ scope: InstrumentationScope) {
        append("\"scope\":{\"name\":")
        string(scope.name)
        if let version = scope.version {
            append(",\"version\":")
            string(version)
        }
        append(",")
        attributes(scope.attributes)
        append(",\"droppedAttributesCount\":\(scope.droppedAttributeCount)}")
    }

    /// `"attributes":[...]`.
    mutating func attributes(_ attributes: [Attribute]) {
        append("\"attributes\":[")
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { append(",") }
            keyValue(attribute.key, attribute.value)
        }
        append("]")
    }

    /// One KeyValue object.
    mutating func keyValue(_ key: String, _ value: AttributeValue) {
        append("{\"key\":")
        string(key)
        append(",\"value\":")
        anyValue(value)
        append("}")
    }

    /// An AnyValue object.
    mutating func anyValue(_ value: AttributeValue) {
        switch value {
        case .string(let string):
            append("{\"stringValue\":")
            self.string(string)
            append("}")
        case .bool(let bool):
            append("{\"boolValue\":\(bool)}")
        case .int(let int):
            append("{\"intValue\":\"\(int)\"}")
        case .double(let double):
            append("{\"doubleValue\":")
            number(double)
            append("}")
        case .stringArray(let values):
            array(values) { $0.anyValue(.string($1)) }
        case .boolArray(let values):
            array(values) { $0.anyValue(.bool($1)) }
        case .intArray(let values):
            array(values) { $0.anyValue(.int($1)) }
        case .doubleArray(let values):
            array(values) { $0.anyValue(.double($1)) }
        }
    }

    /// An `arrayValue` AnyValue of `values`, each written by `write`.
    mutating func array<Element>(_ values: [Element], _ write: (inout OTLPJSONWriter, Element) -> Void) {
        append("{\"arrayValue\":{\"values\":[")
        for (index, value) in values.enumerated() {
            if index > 0 { append(",") }
            write(&self, value)
        }
        append("]}}")
    }

    /// A double as proto3 JSON writes it: NaN and the infinities as strings.
    mutating func number(_ value: Double) {
        if value.isNaN {
            append("\"NaN\"")
        } else if value.isInfinite {
            append(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else {
            append("\(value)")
        }
    }

    /// A JSON string literal, escaped.
    mutating func string(_ value: String) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
