import Foundation
import Persistence
import RuralPostCore

/// Decodes request JSON into typed values, turning `DecodingError`s into
/// `DomainError.invalid` naming the offending field (`zones[1].maxKm`).
public enum RecordDecoding {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw DomainError.invalid(field: field(of: error), message: message(of: error))
        }
    }

    /// `current` with the fields present in `patch` replaced (a JSON merge of one
    /// level), decoded back so a wrongly typed field is reported by name.
    public static func merge<T: Codable>(_ current: T, patch: [String: Any]) throws -> T {
        var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any] ?? [:]
        for (key, value) in patch { merged[key] = value }
        return try decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func field(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return path(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context.codingPath)
        @unknown default: return "body"
        }
    }

    static func message(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "is required"
        case .typeMismatch(let type, _): return "must be \(describe(type))"
        case .valueNotFound(let type, _): return "must be \(describe(type)), not null"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "is invalid"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int64.Type, is Int.Type, is Int32.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "a valid \(type)"
        }
    }
}

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

    static func coordinates(lat: Double, lon: Double) throws {
        if !(lat.isFinite && (-90...90).contains(lat)) { throw DomainError.invalid(field: "lat", message: "must be between -90 and 90") }
        if !(lon.isFinite && (-180...180).contains(lon)) { throw DomainError.invalid(field: "lon", message: "must be between -180 and 180") }
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
