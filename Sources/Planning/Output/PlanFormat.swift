import Foundation
import Logistics
import RuralPostCore

/// Number and text formatting shared by the plan renderers. Everything is done with
/// integer arithmetic so output does not depend on the process locale (a German locale
/// would otherwise print "12,5 km") and renders are byte-for-byte reproducible.
enum PlanFormat {
    /// Escapes text for HTML element content and quoted attribute values. Place names come
    /// from the database and are typed by people, so they are never trusted.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `value` rounded to `decimals` places, always with a dot.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        return decimal(value < 0 && scaled != 0 ? -scaled : scaled, decimals)
    }

    /// An integer count of 1/10^decimals units printed as a decimal number.
    static func decimal(_ scaled: Int64, _ decimals: Int) -> String {
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        guard decimals > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        var frac = String(magnitude % divisor)
        while frac.count < decimals { frac = "0" + frac }
        return (negative ? "-" : "") + String(magnitude / divisor) + "." + frac
    }

    /// Grams as kilograms with one decimal, e.g. "12.3".
    static func kg(_ grams: Int64) -> String {
        decimal(roundDiv(grams, 100), 1)
    }

    /// Metres as kilometres with one decimal, e.g. "48.2".
    static func km(_ metres: Int64) -> String {
        decimal(roundDiv(metres, 100), 1)
    }

    /// Fen as yuan with two decimals, e.g. "¥123.45".
    static func yuan(_ fen: Int64) -> String {
        "¥" + decimal(fen, 2)
    }

    /// Seconds as h:mm, e.g. "7:05".
    static func hoursMinutes(_ seconds: Int64) -> String {
        let minutes = roundDiv(max(seconds, 0), 60)
        let mm = minutes % 60
        return "\(minutes / 60):" + (mm < 10 ? "0" : "") + String(mm)
    }

    /// Whole-number percentage of `part` in `whole`, or nil when there is no capacity to
    /// compare against (a vehicle with capacity 0 means "not limited", not "always full").
    static func percent(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        return roundDiv(part * 100, whole)
    }

    /// Integer division rounding half away from zero.
    static func roundDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b)
    }

    /// Human words for a stop kind.
    static func stopKind(_ kind: StopKind) -> String {
        switch kind {
        case .pickupPoint: return "pickup point"
        case .home: return "home delivery"
        }
    }
}
