import Tracing

/// Follows the parent's decision when there is a parent, and asks ``root`` otherwise.
///
/// Each of the five cases has its own delegate, as the specification defines them.
public struct ParentBasedSampler: Sampler {
    /// For spans without a parent.
    public let root: any Sampler
    /// For a remote parent that was sampled. Default: ``AlwaysOnSampler``.
    public let remoteParentSampled: any Sampler
    /// For a remote parent that was not sampled. Default: ``AlwaysOffSampler``.
    public let remoteParentNotSampled: any Sampler
    /// For a local parent that was sampled. Default: ``AlwaysOnSampler``.
    public let localParentSampled: any Sampler
    /// For a local parent that was not sampled. Default: ``AlwaysOffSampler``.
    public let localParentNotSampled: any Sampler

    /// Creates the sampler.
    /// - Parameters:
    ///   - root: the sampler for root spans.
    ///   - remoteParentSampled: default ``AlwaysOnSampler``.
    ///   - remoteParentNotSampled: default ``AlwaysOffSampler``.
    ///   - localParentSampled: default ``AlwaysOnSampler``.
    ///   - localParentNotSampled: default ``AlwaysOffSampler``.
    public init(
        root: any Sampler,
        remoteParentSampled: any Sampler = AlwaysOnSampler(),
        remoteParentNotSampled: any Sampler = AlwaysOffSampler(),
        localParentSampled: any Sampler = AlwaysOnSampler(),
        localParentNotSampled: any Sampler = AlwaysOffSampler()
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
        let delegate: any Sampler
        switch (parent, parent?.isRemote, parent?.isSampled) {
        case (nil, _, _): delegate = root
        case (_, true?, true?): delegate = remoteParentSampled
        case (_, true?, _): delegate = remoteParentNotSampled
        case (_, _, true?): delegate = localParentSampled
        default: delegate = localParentNotSampled
        }
        return delegate.shouldSample(parent: parent, traceID: traceID, name: name, kind: kind)
    }

    public var description: String {
        "ParentBased{root=\(root),remoteParentSampled=\(remoteParentSampled),"
            + "remoteParentNotSampled=\(remoteParentNotSampled),localParentSampled=\(localParentSampled),"
            + "localParentNotSampled=\(localParentNotSampled)}"
    }
}
