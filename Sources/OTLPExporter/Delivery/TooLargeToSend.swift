/// An item the encoder left out of every request because a request of its own would exceed the
/// byte limit: counted as rejected, as many items as it holds (a metric, its data points).
protocol TooLargeToSend: Error {
    /// The items it counts as.
    var rejectedItems: Int { get }
}

extension OTLPSpanTooLargeError: TooLargeToSend {
    var rejectedItems: Int { 1 }
}

extension OTLPLogRecordTooLargeError: TooLargeToSend {
    var rejectedItems: Int { 1 }
}

extension OTLPMetricTooLargeError: TooLargeToSend {
    var rejectedItems: Int { dataPoints }
}
