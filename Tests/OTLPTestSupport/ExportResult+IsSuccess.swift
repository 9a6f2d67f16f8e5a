import OTelSDK

extension ExportResult {
    /// Whether the export fully succeeded, for `#expect`.
    public var isSuccess: Bool {
        if case .success = self { true } else { false }
    }
}
