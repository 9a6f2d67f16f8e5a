/// A duration in seconds.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// `value` rounded to `digits` decimals, as printf's `%.Nf` writes it.
func format(_ value: Double, _ digits: Int) -> String {
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((abs(value) * Double(scale)).rounded())
    var text = (value < 0 && scaled != 0 ? "-" : "") + String(scaled / scale)
    if digits > 0 {
        let fraction = String(scaled % scale)
        text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
    return text
}
