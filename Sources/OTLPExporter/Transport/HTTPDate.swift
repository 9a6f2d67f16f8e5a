/// Parses HTTP dates (RFC 9110, section 5.6.7), as a `Retry-After` header may carry one.
///
/// "A recipient that parses a timestamp value in an HTTP field MUST accept all three
/// HTTP-date formats": the preferred IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the
/// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`)
/// forms. Written here rather than with Foundation's `DateFormatter`, which would load ICU.
enum HTTPDate {
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is none of the three formats.
    /// - Parameters:
    ///   - text: the field value.
    ///   - nowSecondsSince1970: the current time, which places an RFC 850 two-digit year:
    ///     "more than 50 years in the future" means the century before.
    static func secondsSince1970(_ text: some StringProtocol, nowSecondsSince1970: Int64) -> Int64? {
        let fields = text.split(separator: " ")
        let year: Int
        let month: Int
        let day: Int
        let time: Substring
        switch fields.count {
        case 6:
            // IMF-fixdate: "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
            guard fields[0].hasSuffix(","), fields[5] == "GMT", fields[1].count == 2, fields[3].count == 4,
                let parsedDay = Int(fields[1]), let parsedMonth = monthNumber(fields[2]),
                let parsedYear = Int(fields[3])
            else { return nil }
            (year, month, day, time) = (parsedYear, parsedMonth, parsedDay, Substring(fields[4]))
        case 4:
            // RFC 850: "Sunday," "06-Nov-94" "08:49:37" "GMT"
            let date = fields[1].split(separator: "-", omittingEmptySubsequences: false)
            guard fields[0].hasSuffix(","), fields[3] == "GMT", date.count == 3, date[0].count == 2, date[2].count == 2,
                let parsedDay = Int(date[0]), let parsedMonth = monthNumber(date[1]), let twoDigitYear = Int(date[2])
            else { return nil }
            let nowYear = civilYear(nowSecondsSince1970)
            var fullYear = nowYear - nowYear % 100 + twoDigitYear
            if fullYear > nowYear + 50 { fullYear -= 100 }
            (year, month, day, time) = (fullYear, parsedMonth, parsedDay, Substring(fields[2]))
        case 5:
            // asctime: "Sun" "Nov" "6" "08:49:37" "1994" (a one-digit day is padded with a space)
            guard !fields[0].hasSuffix(","), fields[2].count <= 2, fields[4].count == 4,
                let parsedMonth = monthNumber(fields[1]), let parsedDay = Int(fields[2]),
                let parsedYear = Int(fields[4])
            else { return nil }
            (year, month, day, time) = (parsedYear, parsedMonth, parsedDay, Substring(fields[3]))
        default:
            return nil
        }
        guard let secondOfDay = secondOfDay(time), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return daysSince1970(year: year, month: month, day: day) * 86_400 + Int64(secondOfDay)
    }

    private static func monthNumber(_ name: some StringProtocol) -> Int? {
        monthNames.firstIndex { $0 == name }.map { $0 + 1 }
    }

    /// `HH:MM:SS` as seconds since midnight; a leap second (60) is allowed, as RFC 5322 allows it.
    private static func secondOfDay(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), let second = Int(parts[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        return hour * 3_600 + minute * 60 + second
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (years counted from
    /// March, so that the leap day comes last).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * Int64((month + 9) % 12) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar year of a time, to within a day (enough to place a two-digit year).
    private static func civilYear(_ secondsSince1970: Int64) -> Int {
        Int(1970 + Double(secondsSince1970) / (365.2425 * 86_400))
    }
}
