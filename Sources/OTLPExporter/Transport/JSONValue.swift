#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON document as a tree, for reading OTLP/JSON, whose fields may each come in more than
/// one form (an integer as a number or a string, an enum as a number or a name).
///
/// Parsed by FoundationEssentials' `JSONDecoder`, which keeps integers exact: a number
/// without a fraction becomes ``integer(_:)`` (or ``unsignedInteger(_:)`` above `Int64.max`).
package enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document; nil when `bytes` are not JSON.
    package init?(parsing bytes: [UInt8]) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { return nil }
        self = value
    }

    package init(from decoder: any Decoder) throws {
        // The decoder cannot say what a value is, only fail to read it as something else:
        // the kinds OTLP/JSON is mostly made of are tried first. Integers before doubles, so
        // that 64-bit integers keep every digit.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            // `-0` is a double's negative zero, which an integer cannot keep.
            if integer == 0, let double = try? container.decode(Double.self), double.sign == .minus {
                self = .double(double)
            } else {
                self = .integer(integer)
            }
        } else if let integer = try? container.decode(UInt64.self) {
            self = .unsignedInteger(integer)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    /// The member `key` of an object; nil for a missing member or a value that is not an object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    package var string: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    package var bool: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }
}
