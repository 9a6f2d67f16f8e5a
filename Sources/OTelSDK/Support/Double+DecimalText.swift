extension Double {
    /// The shortest digits that read back as this value, as a plain decimal (`0.00001`), never
    /// in exponent form (`1e-05`), which is what `description` gives below 0.0001.
    var decimalText: String {
        let text = description
        guard isFinite, let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
            let exponent = Int(text[text.index(after: exponentIndex)...])
        else { return text }
        let isNegative = text.hasPrefix("-")
        let mantissa = text[text.index(text.startIndex, offsetBy: isNegative ? 1 : 0)..<exponentIndex]
        let integerDigits = mantissa.prefix { $0 != "." }
        var digits = String(mantissa.filter { $0 != "." })
        // Where the decimal point goes, counted in `digits` from the left.
        let point = integerDigits.count + exponent
        let plain: String
        if point <= 0 {
            plain = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            digits += String(repeating: "0", count: point - digits.count)
            plain = digits + ".0"
        } else {
            plain = digits.prefix(point) + "." + digits.dropFirst(point)
        }
        return (isNegative ? "-" : "") + plain
    }
}
