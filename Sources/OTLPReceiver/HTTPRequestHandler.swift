import NIOCore
import NIOHTTP1
import OTLPExporter

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Answers OTLP/HTTP requests on one connection: POST /v1/traces with a protobuf or JSON
/// body, optionally gzip-compressed.
final class HTTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let services: ReceiverServices
    private var store: ReceivedItemStore { services.store }
    private var decoder: RequestBodyDecoder { services.decoder }
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(services: ReceiverServices) {
        self.services = services
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            let announced = head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
            tooLarge = announced > decoder.maximumBytes
        case .body(var chunk):
            // Past the cap the rest of the body is read and discarded, so the answer can be sent.
            if !tooLarge, body.count + chunk.readableBytes <= decoder.maximumBytes {
                body += chunk.readBytes(length: chunk.readableBytes) ?? []
            } else {
                tooLarge = true
                body.removeAll()
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        store.recordArrival(bytes: body.count)
        let keepAlive = head.isKeepAlive
        let contentType =
            head.headers.first(name: "content-type")?.split(separator: ";").first
            .map { $0.trimmingWhitespace().lowercased() } ?? ""
        let json = contentType == "application/json"
        let responseType = json ? "application/json" : "application/x-protobuf"

        func refuse(_ status: HTTPResponseStatus, _ message: String) {
            store.recordRefusal()
            send(
                status: status,
                contentType: responseType,
                body: errorBody(code: status.grpcCode, message: message, json: json),
                keepAlive: keepAlive,
                context: context
            )
        }

        let path = head.uri.split(separator: "?").first.map(String.init)
        guard let signal = OTLPSignal.all.first(where: { $0.httpPath == path }) else {
            return refuse(.notFound, "unknown path \(head.uri)")
        }
        guard head.method == .POST else { return refuse(.methodNotAllowed, "use POST") }
        guard json || contentType == "application/x-protobuf" else {
            return refuse(.unsupportedMediaType, "content type \"\(contentType)\"")
        }
        let encoding = head.headers.first(name: "content-encoding")?.lowercased() ?? "identity"
        guard ["gzip", "identity", "none"].contains(encoding) else {
            return refuse(.unsupportedMediaType, "content encoding \"\(encoding)\"")
        }
        guard !tooLarge else { return refuse(.payloadTooLarge, RequestBodyDecoder.Refusal.tooLarge.message) }

        switch decoder.decode(body, signal: signal, json: json, gzip: encoding == "gzip") {
        case .failure(let refusal):
            refuse(refusal.httpStatus, refusal.message)
        case .success(let decoded):
            let request = OTLPReceivedRequest(
                transport: json ? .httpJSON : .httpProtobuf,
                sequenceNumber: store.nextRequestNumber(),
                signal: signal,
                itemCount: decoded.count,
                compressed: encoding == "gzip",
                headers: head.headers.map { ($0.name.lowercased(), $0.value) }
            )
            answer(services.responder(request), decoded: decoded, json: json, keepAlive: keepAlive, context: context)
        }
    }

    private func answer(
        _ response: OTLPReceiverResponse,
        decoded: DecodedItems,
        json: Bool,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        let contentType = json ? "application/json" : "application/x-protobuf"
        switch response {
        case .accept:
            store.accept(decoded)
            send(
                status: .ok,
                contentType: contentType,
                body: json ? Array("{}".utf8) : [],
                keepAlive: keepAlive,
                context: context
            )
        case .partialSuccess(let rejected, let message):
            store.accept(decoded)
            let body =
                json
                ? Array(
                    "{\"partialSuccess\":{\"\(decoded.signal.rejectedJSONName)\":\"\(rejected)\",\"errorMessage\":".utf8
                ) + jsonBody(message) + Array("}}".utf8)
                : ResponseMessages.exportResponse(partialSuccess: (rejected, message))
            send(status: .ok, contentType: contentType, body: body, keepAlive: keepAlive, context: context)
        case .httpStatus(let code, let retryAfter):
            let status = HTTPResponseStatus(statusCode: code)
            send(
                status: status,
                contentType: contentType,
                body: errorBody(code: status.grpcCode, message: status.reasonPhrase, json: json),
                retryAfter: retryAfter,
                keepAlive: keepAlive,
                context: context
            )
        case .grpcStatus(let code, let message, _):
            let status = GRPCStatusCode.httpStatus(forGRPCCode: code)
            send(
                status: status,
                contentType: contentType,
                body: errorBody(code: code, message: message, json: json),
                keepAlive: keepAlive,
                context: context
            )
        case .closeConnection, .grpcFault:
            context.close(promise: nil)
        case .delayed(let delay, let then):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
                let (handler, context) = loopBound.value
                handler.answer(then, decoded: decoded, json: json, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func errorBody(code: Int, message: String, json: Bool) -> [UInt8] {
        json
            ? jsonBody(JSONStatus(code: code, message: message))
            : ResponseMessages.status(code: code, message: message, retryDelay: nil)
    }

    /// A google.rpc.Status, the body of an OTLP/HTTP error response, in JSON.
    private struct JSONStatus: Encodable {
        let code: Int
        let message: String
    }

    private func jsonBody(_ message: some Encodable) -> [UInt8] {
        // Strings and integers only, which always encode.
        Array((try? JSONEncoder().encode(message)) ?? Data("{}".utf8))
    }

    private func send(
        status: HTTPResponseStatus,
        contentType: String,
        body: [UInt8],
        retryAfter: String? = nil,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders([("content-type", contentType), ("content-length", String(body.count))])
        if let retryAfter { headers.add(name: "retry-after", value: retryAfter) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil
        )
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

extension RequestBodyDecoder.Refusal {
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooLarge: .payloadTooLarge
        case .undecodable: .badRequest
        }
    }
}

extension HTTPResponseStatus {
    /// The google.rpc code an OTLP/HTTP error body carries for this status.
    var grpcCode: Int {
        switch code {
        case 400, 415: GRPCStatusCode.invalidArgument
        case 404, 405: GRPCStatusCode.unimplemented
        case 413, 429: GRPCStatusCode.resourceExhausted
        case 502, 503, 504: GRPCStatusCode.unavailable
        default: GRPCStatusCode.unknown
        }
    }
}
