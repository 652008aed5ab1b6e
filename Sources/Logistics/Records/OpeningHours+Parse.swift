import Foundation
import Persistence
import RuralPostCore

extension OpeningHours {
    /// Parses the compact form used in CSV files and on the command line:
    /// `mon-fri 08:00-12:00,14:00-18:00; sat 09:00-12:00`, or a JSON object.
    public static func parse(_ text: String) throws -> OpeningHours {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("{") {
            guard let data = trimmed.data(using: .utf8),
                  let decoded = try? JSONDecoder().decode(OpeningHours.self, from: data)
            else { throw DomainError.invalid(field: "opening_hours", message: "is not valid opening-hours JSON") }
            return try decoded.normalized()
        }
        var result: [String: [[String]]] = [:]
        for part in trimmed.split(separator: ";") {
            let pieces = part.split(separator: " ", omittingEmptySubsequences: true)
            guard pieces.count == 2 else {
                throw DomainError.invalid(field: "opening_hours", message: "expected 'mon-fri 08:00-18:00; sat 09:00-12:00'")
            }
            let dayNames = pieces[0].lowercased().split(separator: "-").map(String.init)
            guard let first = dayNames.first.flatMap({ days.firstIndex(of: $0) }),
                  let last = (dayNames.count == 2 ? days.firstIndex(of: dayNames[1]) : first), first <= last, dayNames.count <= 2
            else { throw DomainError.invalid(field: "opening_hours", message: "unknown day range \(pieces[0])") }
            let intervals = try pieces[1].split(separator: ",").map { range -> [String] in
                let ends = range.split(separator: "-").map(String.init)
                guard ends.count == 2 else { throw DomainError.invalid(field: "opening_hours", message: "bad interval \(range)") }
                return ends
            }
            for day in first...last { result[days[day], default: []] += intervals }
        }
        return try OpeningHours(result).normalized()
    }

    /// The JSON stored in `pickup_points.opening_hours`.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
