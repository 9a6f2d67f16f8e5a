/// What every connection handler of a receiver shares: where spans go, how bodies are
/// decoded, and who decides the answer.
struct ReceiverServices: Sendable {
    let store: ReceivedItemStore
    let decoder: RequestBodyDecoder
    let responder: @Sendable (OTLPReceivedRequest) -> OTLPReceiverResponse
}
