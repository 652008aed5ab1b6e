/// Calendar days written `YYYY-MM-DD`, as plan dates and produce ready dates are.
public enum CalendarDate {
    /// Year, month and day of `text`, or nil unless it is `YYYY-MM-DD` naming a real day.
    public static func parse(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days ? (year, month, day) : nil
    }

    /// Day of the week of `text`, Monday = 0 ... Sunday = 6, or nil if it is no date.
    public static func weekday(_ text: String) -> Int? {
        guard let (year, month, day) = parse(text) else { return nil }
        // Sakamoto's method (proleptic Gregorian calendar), Sunday = 0.
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return (sunday0 + 6) % 7
    }
}
