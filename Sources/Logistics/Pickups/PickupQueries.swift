import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Read side of a pickup point: parcels on the shelf (looked up by the recipient's
/// phone digits, never showing codes) and the counter view.
public struct PickupQueries: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Parcels at the point, in id order: by default the waiting ones; `phoneLast4`
    /// narrows to one recipient. Staff of the point only (recipients' data).
    public func list(pointId: Int64, phoneLast4: String?, status: String?, cursor: String?, limit: Int, caller: Caller)
        async throws -> Page<PickupView>
    {
        if let phoneLast4, !(phoneLast4.count == 4 && phoneLast4.allSatisfy({ $0.isASCII && $0.isNumber })) {
            throw DomainError.invalid(field: "phoneLast4", message: "must be 4 digits")
        }
        let status = status ?? "waiting"
        try Check.oneOf(status, ["waiting", "collected", "returned"], "status")
        let after = try Cursor.decode(cursor)
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("list parcels"),
                                                   conn: conn, logger: logger)
            var items: [PickupView] = []
            for try await text in try await conn.query("""
                SELECT \(unescaped: PickupSQL.viewColumns) FROM pickups p JOIN shipments s ON s.id = p.shipment_id
                WHERE p.pickup_point_id = \(point.id) AND p.status = \(status) AND p.id > \(after)
                  AND (\(phoneLast4)::text IS NULL OR p.recipient_phone_last4 = \(phoneLast4))
                ORDER BY p.id LIMIT \(limit + 1)
                """, logger: logger).decode(String.self) { items.append(try PickupSQL.decode(text)) }
            return Page(fetched: items, limit: limit, key: \.id)
        }
    }

    /// Waiting, free slots, due today, overdue, locked, collected today and returned
    /// this week. Planners read it too: `full` is what routes should avoid.
    public func counter(pointId: Int64, caller: Caller) async throws -> CounterView {
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .readPickupPoint("read pickup counters"),
                                                   conn: conn, logger: logger)
            for try await row in try await conn.query("""
                SELECT count(*) FILTER (WHERE status = 'waiting')::bigint,
                       count(*) FILTER (WHERE status = 'waiting' AND hold_until >= now() AND hold_until < current_date + 1)::bigint,
                       count(*) FILTER (WHERE status = 'waiting' AND hold_until < now())::bigint,
                       count(*) FILTER (WHERE status = 'waiting' AND locked)::bigint,
                       count(*) FILTER (WHERE status = 'collected' AND collected_at >= current_date)::bigint,
                       count(*) FILTER (WHERE status = 'returned' AND returned_at >= date_trunc('week', now()))::bigint
                FROM pickups WHERE pickup_point_id = \(point.id)
                  AND (status = 'waiting' OR collected_at >= current_date OR returned_at >= date_trunc('week', now()))
                """, logger: logger).decode((Int64, Int64, Int64, Int64, Int64, Int64).self) {
                let free = max(0, point.slotCapacity - row.0)
                return CounterView(pickupPointId: point.id, code: point.code, slotCapacity: point.slotCapacity, waiting: row.0,
                                   freeSlots: free, full: free == 0, dueToday: row.1, overdue: row.2, locked: row.3,
                                   collectedToday: row.4, returnedThisWeek: row.5)
            }
            throw DomainError.internalError("no counter row")
        }
    }
}
