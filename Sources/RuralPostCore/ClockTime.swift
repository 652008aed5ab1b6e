import Foundation

/// Times of day as plans and driver sheets print them (dates: `CalendarDate`).
public enum ClockTime {
    /// `HH:MM` of seconds after midnight.
    public static func hhmm(_ seconds: Int64) -> String {
        String(format: "%02d:%02d", Int(seconds / 3600), Int(seconds % 3600 / 60))
    }
}
