import FuzzDriver
import OTLPExporter
import OTelSDK

// The `key=value,...` lists of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS, and
// every other exporter setting read from the environment: any text must give a value (the
// default, for a value of the wrong form) or a typed error, never a crash; and no header kept
// holds a CR, LF or NUL, percent-encoded or not.

@main
enum Harness {
    static func main() { runFuzzer(fuzzEnvironment) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvironment(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let pairs = OTelEnvironment.keyValueList(text) {
        precondition(pairs.allSatisfy { !$0.key.isEmpty }, "an empty key was accepted from \(text.debugDescription)")
    }
    _ = Resource.detected(attributes: [], environment: OTelEnvironment(["OTEL_RESOURCE_ATTRIBUTES": text]))
    for setting in ["HEADERS", "ENDPOINT", "PROTOCOL", "COMPRESSION", "TIMEOUT", "INSECURE"] {
        // Headers carry a marker the error must never repeat: header values may be credentials.
        let value = setting == "HEADERS" ? text + ",token=secret-7f3a" : text
        do {
            let configuration = try OTLPExporterConfiguration(
                environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_\(setting)": value])
            )
            // An ignored headers list is reported without its value.
            precondition(
                !String(describing: configuration.ignoredEnvironmentValues).contains("secret-7f3a"),
                "an ignored headers value is repeated"
            )
            // No header kept can end its line and start another (a decoded CR, LF or NUL).
            for header in configuration.headers {
                precondition(
                    !(header.name + header.value).unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" },
                    "a header with CR, LF or NUL was kept from \(text.debugDescription)"
                )
            }
            precondition(
                !configuration.userAgent.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" },
                "a User-Agent with CR, LF or NUL from \(text.debugDescription)"
            )
        } catch let error as OTLPConfigurationError {
            precondition(!error.description.isEmpty, "an error without a message")
            if setting == "HEADERS" {
                precondition(!String(describing: error).contains("secret-7f3a"), "a headers error repeats the value")
            }
        } catch {
            preconditionFailure("an untyped error: \(error)")
        }
    }
    return 0
}
