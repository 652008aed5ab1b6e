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
            let items = try await PickupStore.views(pointId: point.id, status: status, phoneLast4: phoneLast4, after: after,
                                                    limit: limit + 1, conn: conn, logger: logger)
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
            let row = try await PickupStore.counts(pointId: point.id, conn: conn, logger: logger)
            let free = max(0, point.slotCapacity - row.waiting)
            return CounterView(pickupPointId: point.id, code: point.code, slotCapacity: point.slotCapacity, waiting: row.waiting,
                               freeSlots: free, full: free == 0, dueToday: row.dueToday, overdue: row.overdue, locked: row.locked,
                               collectedToday: row.collectedToday, returnedThisWeek: row.returnedThisWeek)
        }
    }
}
