import Foundation
import Logistics
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// Every typed state of the domain and the database's CHECK on its column allow exactly
/// the same values: a new case in Swift without a migration (or the reverse) fails here.
@Suite struct StateSchemaAgreementTests {
    /// (table, column, the Swift type's raw values).
    static let columns: [(String, String, [String])] = [
        ("shipments", "status", ShipmentStatus.allCases.map(\.rawValue)),
        ("shipments", "kind", ShipmentKind.allCases.map(\.rawValue)),
        ("orders", "status", OrderStatus.allCases.map(\.rawValue)),
        ("orders", "delivery_mode", DeliveryMode.allCases.map(\.rawValue)),
        ("orders", "quota_status", QuotaStatus.allCases.map(\.rawValue)),
        ("pickups", "status", PickupStatus.allCases.map(\.rawValue)),
        ("collection_requests", "status", CollectionStatus.allCases.map(\.rawValue)),
        ("route_plans", "status", RoutePlanStatus.allCases.map(\.rawValue)),
        ("notification_outbox", "status", NotificationStatus.allCases.map(\.rawValue)),
        ("notification_outbox", "kind", NotificationKind.allCases.map(\.rawValue)),
        ("api_keys", "role", Role.allCases.map(\.rawValue)),
        ("api_key_scopes", "kind", ScopeKind.allCases.map(\.rawValue)),
    ]

    @Test func swiftStatesEqualTheDatabaseChecks() async throws {
        let settings = try await TestCluster.freshDatabase()
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 1) { database in
            _ = try await MigrationRunner(database: database).migrate()
            for (table, column, swift) in Self.columns {
                let allowed = try await Self.checkedValues(table: table, column: column, database: database)
                #expect(Set(allowed) == Set(swift), "\(table).\(column): database \(allowed.sorted()), Swift \(swift.sorted())")
            }
        }
    }

    /// The values of the single-column `IN (...)` CHECK on `table.column`, read from the
    /// catalogue (PostgreSQL stores it as `= ANY (ARRAY['a'::text, ...])`).
    static func checkedValues(table: String, column: String, database: Database) async throws -> [String] {
        var definitions: [String] = []
        for try await definition in try await database.query("""
            SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
            WHERE c.contype = 'c' AND c.conrelid = \(table)::regclass AND a.attname = \(column) AND cardinality(c.conkey) = 1
            """).decode(String.self) { definitions.append(definition) }
        let lists = definitions.filter { $0.contains("ANY (ARRAY[") }
        guard lists.count == 1, let list = lists.first else {
            Issue.record("\(table).\(column): expected one IN-list CHECK, found \(definitions)")
            return []
        }
        let literal = try NSRegularExpression(pattern: #"'((?:[^']|'')*)'::text"#)
        return literal.matches(in: list, range: NSRange(list.startIndex..., in: list)).map {
            String(list[Range($0.range(at: 1), in: list)!]).replacingOccurrences(of: "''", with: "'")
        }
    }
}
