import Foundation
import Persistence
import RuralPostCore

/// A master-data object kept in one table (warehouses, SKUs, depots, ...).
///
/// The Swift type lists the writable fields in camelCase; their snake_case forms are
/// the table's columns, so rows are read with `to_jsonb(row)` and written with
/// `jsonb_populate_record`, and one generic store serves every such table.
public protocol MasterRecord: Codable, Sendable {
    /// The table, also the URL segment (with `-` for `_`).
    static var table: String { get }
    /// Writable columns in snake_case; each has a camelCase property.
    static var columns: [String] { get }
    /// Scope checks: (kind, column holding the scoped id). All must allow the caller.
    static var scopeColumns: [(kind: ScopeKind, column: String)] { get }
    /// Fills defaults and rejects values the database alone would word poorly.
    func normalized() throws -> Self
    /// The id in `column` for a scope check (for columns other than `id`).
    func scopeValue(_ column: String) -> Int64?
    /// The record as shown to API clients: secrets removed.
    func redacted() -> Self
}

extension MasterRecord {
    public static var scopeColumns: [(kind: ScopeKind, column: String)] { [] }
    public func normalized() throws -> Self { self }
    public func scopeValue(_ column: String) -> Int64? { nil }
    public func redacted() -> Self { self }
    /// The table as the access policy names it (who may read, create, update).
    static var accessKind: AccessPolicy.MasterDataKind {
        guard let kind = AccessPolicy.MasterDataKind(rawValue: table) else {
            preconditionFailure("master-data table \(table) has no entry in AccessPolicy.MasterDataKind")
        }
        return kind
    }
    /// The camelCase field names a request body may contain.
    public static var fieldNames: Set<String> { Set(columns.map(camelCase)) }
}

/// A stored master-data object: its id and timestamps plus the record's fields,
/// encoded flat (`{"id": 1, "code": ..., "createdAt": ...}`).
public struct Stored<Record: MasterRecord>: Codable, Sendable {
    public let id: Int64
    public let createdAt: String
    public let updatedAt: String
    public let record: Record

    enum CodingKeys: String, CodingKey { case id, createdAt, updatedAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        updatedAt = try c.decode(String.self, forKey: .updatedAt)
        let decoded = try Record(from: decoder)
        // Stored values come back in database form (times as HH:MM:SS); show the canonical one.
        record = (try? decoded.normalized()) ?? decoded
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try record.redacted().encode(to: encoder)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// One page of a list, with the cursor for the next page (nil on the last).
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from up to `limit + 1` rows fetched in key order: the extra row only
    /// tells that another page exists; the cursor is the last returned item's key.
    public init(fetched: [Item], limit: Int, key: (Item) -> Int64) {
        let hasMore = fetched.count > limit
        let items = Array(fetched.prefix(limit))
        self.init(items: items, nextCursor: hasMore ? items.last.map { Cursor.encode(afterId: key($0)) } : nil)
    }
}

/// Opaque keyset cursors: base64url of the last id seen.
public enum Cursor {
    public static func encode(afterId id: Int64) -> String {
        Data("id:\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The id after which the page starts: 0 without a cursor. Only strings `encode`
    /// produces are accepted (`id:` and 1 to 18 digits, canonical base64url without
    /// padding: the `Cursor` pattern of docs/openapi.yaml); anything else, an empty string
    /// included, is 422 on `cursor`.
    public static func decode(_ cursor: String?) throws -> Int64 {
        guard let cursor else { return 0 }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.utf8.count <= 28, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("id:"), (1...18).contains(text.utf8.count - 3),
              text.utf8.dropFirst(3).allSatisfy({ (0x30...0x39).contains($0) }),
              let id = Int64(text.dropFirst(3)), encode(afterId: id) == cursor || encodeText(text) == cursor
        else {
            throw DomainError.invalid(field: "cursor", message: "not a cursor returned by this API")
        }
        return id
    }

    /// base64url without padding, as `encode` writes it.
    private static func encodeText(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// JSON coders shared by the storage layer: snake_case toward PostgreSQL.
enum RowCoding {
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()
}
