import NIOCore
import NIOHPACK
import NIOHTTP2
import OTLPExporter
import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Answers one OTLP/gRPC call on one HTTP/2 stream: TraceService/Export or LogsService/Export
/// with a single length-prefixed message, optionally gzip-compressed.
final class GRPCStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let services: ReceiverServices
    private var store: ReceivedItemStore { services.store }
    private var decoder: RequestBodyDecoder { services.decoder }
    private var requestHeaders: HPACKHeaders?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var answered = false

    init(services: ReceiverServices) {
        self.services = services
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if requestHeaders == nil { requestHeaders = headers.headers }
            if headers.endStream { endOfRequest(context: context) }
        case .data(let data):
            if case .byteBuffer(var buffer) = data.data {
                // The frame prefix (5 bytes) is allowed on top of the message cap.
                if !tooLarge, body.count + buffer.readableBytes <= decoder.maximumBytes + 5 {
                    body += buffer.readBytes(length: buffer.readableBytes) ?? []
                } else {
                    tooLarge = true
                    body.removeAll()
                }
            }
            if data.endStream { endOfRequest(context: context) }
        default:
            break
        }
    }

    private func endOfRequest(context: ChannelHandlerContext) {
        guard !answered, let headers = requestHeaders else { return }
        answered = true
        store.recordArrival(bytes: body.count)

        func refuse(_ code: Int, _ message: String) {
            store.recordRefusal()
            sendTrailersOnly(code: code, message: message, retryDelay: nil, context: context)
        }

        let contentType = headers.first(name: "content-type") ?? ""
        guard contentType.hasPrefix("application/grpc") else {
            store.recordRefusal()
            // The gRPC specification answers a non-gRPC content type with HTTP 415.
            let head = HPACKHeaders([(":status", "415")])
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: head, endStream: true))), promise: nil)
            return
        }
        guard let signal = OTLPSignal.all.first(where: { $0.grpcPath == headers.first(name: ":path") }) else {
            return refuse(GRPCStatusCode.unimplemented, "unknown method \(headers.first(name: ":path") ?? "")")
        }
        guard !tooLarge else {
            return refuse(GRPCStatusCode.resourceExhausted, RequestBodyDecoder.Refusal.tooLarge.message)
        }
        guard body.count >= 5 else { return refuse(GRPCStatusCode.invalidArgument, "no length-prefixed message") }
        let compressedFlag = body[0]
        let length = body[1...4].reduce(0) { $0 << 8 | Int($1) }
        guard compressedFlag <= 1, length == body.count - 5 else {
            return refuse(
                GRPCStatusCode.invalidArgument,
                "the message frame announces \(length) bytes, \(body.count - 5) arrived"
            )
        }
        let encoding = headers.first(name: "grpc-encoding") ?? "identity"
        if compressedFlag == 1, encoding != "gzip" {
            return refuse(GRPCStatusCode.unimplemented, "message compression \"\(encoding)\" is not supported")
        }
        switch decoder.decode(Array(body[5...]), signal: signal, json: false, gzip: compressedFlag == 1) {
        case .failure(let refusal):
            refuse(refusal.grpcCode, refusal.message)
        case .success(let decoded):
            let request = OTLPReceivedRequest(
                transport: .grpc,
                sequenceNumber: store.nextRequestNumber(),
                signal: signal,
                itemCount: decoded.count,
                compressed: compressedFlag == 1,
                headers: headers.filter { !$0.name.hasPrefix(":") }.map { ($0.name.lowercased(), $0.value) }
            )
            answer(services.responder(request), decoded: decoded, context: context)
        }
    }

    private func answer(_ response: OTLPReceiverResponse, decoded: DecodedItems, context: ChannelHandlerContext) {
        switch response {
        case .accept:
            store.accept(decoded)
            sendMessage(ResponseMessages.exportResponse(partialSuccess: nil), context: context)
        case .partialSuccess(let rejected, let message):
            store.accept(decoded)
            sendMessage(ResponseMessages.exportResponse(partialSuccess: (rejected, message)), context: context)
        case .grpcStatus(let code, let message, let retryDelay):
            sendTrailersOnly(code: code, message: message, retryDelay: retryDelay, context: context)
        case .httpStatus(let code, _):
            let status = GRPCStatusCode.code(forHTTPStatus: code)
            sendTrailersOnly(code: status, message: "HTTP \(code)", retryDelay: nil, context: context)
        case .closeConnection:
            context.channel.parent?.close(promise: nil)
        case .grpcFault(let fault):
            send(fault, context: context)
        case .delayed(let delay, let then):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
                let (handler, context) = loopBound.value
                handler.answer(then, decoded: decoded, context: context)
            }
        }
    }

    private func send(_ fault: OTLPReceiverGRPCFault, context: ChannelHandlerContext) {
        let head = HPACKHeaders([(":status", "200"), ("content-type", "application/grpc")])
        switch fault {
        case .resetStream:
            context.writeAndFlush(wrapOutboundOut(.rstStream(.internalError)), promise: nil)
        case .goAway:
            guard let connection = context.channel.parent else { return }
            let goAway = HTTP2Frame(
                streamID: .rootStream,
                payload: .goAway(lastStreamID: .rootStream, errorCode: .noError, opaqueData: nil)
            )
            connection.writeAndFlush(goAway).whenComplete { _ in connection.close(promise: nil) }
        case .missingStatus:
            context.write(wrapOutboundOut(.headers(.init(headers: head))), promise: nil)
            writeBody(Self.messageFrame(ResponseMessages.exportResponse(partialSuccess: nil)), context: context)
            let trailers = HPACKHeaders([("x-note", "no grpc-status")])
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
        case .truncatedMessage, .garbageMessage:
            context.write(wrapOutboundOut(.headers(.init(headers: head))), promise: nil)
            // A prefix announcing 100 bytes before 2 of them; or bytes no gRPC message starts with.
            writeBody(
                fault == .truncatedMessage ? [0, 0, 0, 0, 100, 1, 2] : Array("<html>oops</html>".utf8),
                context: context
            )
            let trailers = HPACKHeaders([("grpc-status", "0")])
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
        }
    }

    private func writeBody(_ bytes: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(buffer)))), promise: nil)
    }

    /// `message` with the 5-byte gRPC prefix: not compressed, then the length, big-endian.
    private static func messageFrame(_ message: [UInt8]) -> [UInt8] {
        [0] + withUnsafeBytes(of: UInt32(message.count).bigEndian, Array.init) + message
    }

    private func sendMessage(_ message: [UInt8], context: ChannelHandlerContext) {
        let head = HPACKHeaders([
            (":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", "gzip,identity"),
        ])
        context.write(wrapOutboundOut(.headers(.init(headers: head))), promise: nil)
        writeBody(Self.messageFrame(message), context: context)
        let trailers = HPACKHeaders([("grpc-status", "0")])
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
    }

    private func sendTrailersOnly(code: Int, message: String, retryDelay: Duration?, context: ChannelHandlerContext) {
        var head = HPACKHeaders([
            (":status", "200"), ("content-type", "application/grpc"), ("grpc-status", String(code)),
        ])
        if !message.isEmpty {
            // grpc-message is percent-encoded: bytes outside printable ASCII, and `%` itself.
            head.add(
                name: "grpc-message",
                value: PercentEncoding.encode(message, keeping: { (0x20...0x7E).contains($0) })
            )
        }
        if retryDelay != nil {
            let details = ResponseMessages.status(code: code, message: message, retryDelay: retryDelay)
            // grpc-status-details-bin is base64 without padding, as gRPC writes binary headers.
            head.add(
                name: "grpc-status-details-bin",
                value: String(Data(details).base64EncodedString().prefix { $0 != "=" })
            )
        }
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: head, endStream: true))), promise: nil)
    }

}

extension RequestBodyDecoder.Refusal {
    var grpcCode: Int {
        switch self {
        case .unsupportedMediaType: GRPCStatusCode.unimplemented
        case .tooLarge: GRPCStatusCode.resourceExhausted
        case .undecodable: GRPCStatusCode.invalidArgument
        }
    }
}
