import Foundation

/// Decodes request JSON into typed values, turning `DecodingError`s into
/// `DomainError.invalid` naming the offending field (`zones[1].maxKm`).
public enum RecordDecoding {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw DomainError.invalid(field: field(of: error), message: message(of: error))
        }
    }

    /// `current` with the fields present in `patch` replaced (a JSON merge of one
    /// level), decoded back so a wrongly typed field is reported by name.
    public static func merge<T: Codable>(_ current: T, patch: [String: Any]) throws -> T {
        let base = try JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any] ?? [:]
        var merged = base
        for (key, value) in patch { merged[key] = value }
        do {
            return try decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch DomainError.invalid(field: "body", let message) {
            // Some failures (a fraction or a huge number for an integer) come without a
            // coding path; find the patched field that causes it, one at a time.
            for key in patch.keys.sorted() {
                var one = base
                one[key] = patch[key]
                if (try? decode(T.self, from: JSONSerialization.data(withJSONObject: one))) == nil {
                    throw DomainError.invalid(field: key, message: "has the wrong type, or is a number out of range")
                }
            }
            throw DomainError.invalid(field: "body", message: message)
        }
    }

    /// The top-level field of `object` holding a number `T` cannot take: a fraction or a
    /// number beyond 64 bits where an integer belongs. JSONDecoder reports those without
    /// a coding path; each such number is tried as the nearest integer, and the field
    /// whose change makes the failure go (or move to a named field) is the one.
    public static func fieldOfNumberFault<T: Decodable>(_ type: T.Type, object: [String: Any],
                                                       userInfo: [CodingUserInfoKey: any Sendable] = [:]) -> String? {
        for key in object.keys.sorted() {
            guard let number = object[key] as? NSNumber else { continue }
            let value = number.doubleValue
            guard value.isFinite, value != value.rounded() || abs(value) >= 9.2e18 else { continue }
            var probe = object
            probe[key] = Int64(max(min(value.rounded(.towardZero), 9.2e18), -9.2e18))
            guard let data = try? JSONSerialization.data(withJSONObject: probe) else { continue }
            do {
                _ = try decode(type, from: data, userInfo: userInfo)
                return key
            } catch DomainError.invalid(let field, _) where field != "body" {
                return key
            } catch {
                continue
            }
        }
        return nil
    }

    /// `zones[1].maxKm` of a coding path; `root` when it is empty.
    public static func path(_ codingPath: [any CodingKey], root: String = "body") -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? root : text
    }

    /// The field a decoding error is about.
    public static func field(of error: DecodingError, root: String = "body") -> String {
        switch error {
        case .keyNotFound(let key, let context): return path(context.codingPath + [key], root: root)
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context.codingPath, root: root)
        @unknown default: return root
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

/// Request bodies name only the fields they may have: decoding refuses any other, by
/// name, so a client's typo is an error instead of a silently ignored value.
public enum RequestFields {
    /// `JSONDecoder.userInfo` key of the top-level object's allowed fields (a `Set<String>`).
    public static let allowedKey = CodingUserInfoKey(rawValue: "ruralpost.allowedFields")!

    /// Throws `DomainError.invalid` naming the first field (in sorted order) of the object
    /// `decoder` is at that is not in `allowed`.
    public static func refuseUnknown(in decoder: any Decoder, allowed: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) else { return }
        let prefix = RecordDecoding.path(decoder.codingPath, root: "")
        throw DomainError.invalid(field: prefix.isEmpty ? unknown : "\(prefix).\(unknown)", message: "unknown field")
    }

    /// Any key of a JSON object.
    public struct AnyKey: CodingKey {
        public let stringValue: String
        public let intValue: Int?
        public init(stringValue: String) { (self.stringValue, self.intValue) = (stringValue, nil) }
        public init(intValue: Int) { (self.stringValue, self.intValue) = (String(intValue), intValue) }
    }
}
