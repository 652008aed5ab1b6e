import Foundation
import RuralPostCore
import Testing

@Suite struct CalendarDateTests {
    @Test func onlyRealDaysInTheStrictFormParse() {
        #expect(CalendarDate.parse("2026-11-22")! == (2026, 11, 22))
        #expect(CalendarDate.parse("2000-02-29") != nil)
        for bad in ["1900-02-29", "2031-02-30", "2026-13-01", "2026-00-10", "2026-1-05", "26-11-22", "+026-11-22",
                    "2026-11-2x", "2026/11/22", "", "2026-11-22T00:00"] {
            #expect(CalendarDate.parse(bad) == nil, "\(bad)")
        }
    }

    /// Monday = 0 ... Sunday = 6, the same as Foundation's Gregorian calendar on every
    /// day from 1990 to 2040.
    @Test func weekdaysAgreeWithFoundation() throws {
        #expect(CalendarDate.weekday("2026-11-22") == 6)
        #expect(CalendarDate.weekday("2026-11-23") == 0)
        #expect(CalendarDate.weekday("2000-02-29") == 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var day = try #require(calendar.date(from: DateComponents(year: 1990, month: 1, day: 1)))
        let end = try #require(calendar.date(from: DateComponents(year: 2041, month: 1, day: 1)))
        while day < end {
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let text = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            #expect(CalendarDate.weekday(text) == (c.weekday! + 5) % 7, "\(text)")
            day = try #require(calendar.date(byAdding: .day, value: 1, to: day))
        }
    }
}
