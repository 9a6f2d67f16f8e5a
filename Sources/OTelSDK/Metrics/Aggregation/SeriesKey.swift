/// A series' identity within its instrument: swift-metrics' dimensions as a set, in key order,
/// a repeated key keeping its last value (so `[("a", "1"), ("b", "2")]` and
/// `[("b", "2"), ("a", "1")]` are one series).
struct SeriesKey: Hashable {
    let dimensions: [String]

    init(_ dimensions: [(String, String)]) {
        var latest: [String: String] = [:]
        for (key, value) in dimensions { latest[key] = value }
        self.dimensions = latest.keys.sorted().flatMap { [$0, latest[$0]!] }
    }

    /// The dimensions as string attributes, in key order.
    var attributes: [Attribute] {
        stride(from: 0, to: dimensions.count, by: 2).map { Attribute(dimensions[$0], .string(dimensions[$0 + 1])) }
    }
}
