import Foundation
import RuralPostCore

/// Shared field checks used by records' `normalized()`.
enum Check {
    static func nonEmpty(_ value: String, _ field: String) throws {
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError.invalid(field: field, message: "must not be empty")
        }
    }

    static func oneOf(_ value: String, _ allowed: [String], _ field: String) throws {
        if !allowed.contains(value) {
            throw DomainError.invalid(field: field, message: "must be one of \(allowed.joined(separator: ", "))")
        }
    }

    static func positive(_ value: Int64, _ field: String) throws {
        if value <= 0 { throw DomainError.invalid(field: field, message: "must be > 0") }
    }

    static func nonNegative(_ value: Int64, _ field: String) throws {
        if value < 0 { throw DomainError.invalid(field: field, message: "must be >= 0") }
    }

    /// `value` within `range`. Upper bounds keep sums and products of quantities, weights
    /// and prices far from 64-bit overflow (docs/openapi.yaml states each bound).
    static func within(_ value: Int64, _ range: ClosedRange<Int64>, _ field: String) throws {
        if !range.contains(value) {
            throw DomainError.invalid(field: field, message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// An acceptable webhook URL (see `WebhookURL`), or nil.
    static func webhookURL(_ value: String?, _ field: String) throws {
        if let value, let problem = WebhookURL.problem(value) { throw DomainError.invalid(field: field, message: problem) }
    }

    static func coordinates(lat: Double, lon: Double) throws {
        if let problem = GeoPoint.problem(lat: lat, lon: lon) { throw DomainError.invalid(field: problem.field, message: problem.message) }
    }

    /// `HH:MM` or `HH:MM:SS`, normalised to `HH:MM`.
    static func clock(_ value: String, _ field: String) throws -> String {
        let parts = value.split(separator: ":")
        guard (2...3).contains(parts.count), let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m), parts.count == 2 || Int(parts[2]).map({ (0...59).contains($0) }) == true
        else { throw DomainError.invalid(field: field, message: "must be a time HH:MM") }
        return String(format: "%02d:%02d", h, m)
    }
}
