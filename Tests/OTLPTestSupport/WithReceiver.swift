import OTLPReceiver

/// Runs `body` with an embedded ``OTLPReceiver`` and stops the receiver afterwards, whether
/// `body` returned or threw, so that a failing or early-returning test does not leave its
/// listeners and event loop running.
///
/// ```swift
/// try await withReceiver(.init(grpcPort: nil)) { receiver in
///     // export to receiver.httpEndpoint ...
///     let spans = try await receiver.waitForSpans(count: 1, timeout: .seconds(5))
/// }
/// ```
///
/// `body` may stop the receiver itself, to check what happens after a stop: a second
/// ``OTLPReceiver/stop()`` does nothing.
/// - Parameters:
///   - configuration: the receiver's configuration; default: both listeners on free ports of
///     127.0.0.1.
///   - body: the test, given the running receiver.
/// - Returns: what `body` returned.
/// - Throws: what `OTLPReceiver.start(configuration:)` or `body` threw; the receiver is
///   stopped before the error of `body` is rethrown.
public func withReceiver<Result: Sendable>(
    _ configuration: OTLPReceiver.Configuration = .init(),
    _ body: (OTLPReceiver) async throws -> Result
) async throws -> Result {
    let receiver = try await OTLPReceiver.start(configuration: configuration)
    do {
        let result = try await body(receiver)
        await receiver.stop()
        return result
    } catch {
        await receiver.stop()
        throw error
    }
}
