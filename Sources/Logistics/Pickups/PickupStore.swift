import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// The pickup tables (`pickups`, `pickup_audit`, `pickup_failures`, and the pickup
/// points as pickups read them): SQL and row decoding only, inside the caller's
/// transaction. `PickupService`, `PickupQueries` and `PointAccess` hold the rules.
enum PickupStore {
    /// A pickup point by id (nil when there is none), locked for update when `lock`.
    static func point(_ id: Int64, lock: Bool, conn: PostgresConnection, logger: Logger) async throws -> PointInfo? {
        for try await row in try await conn.query("""
            SELECT id, code, name, service_centre_id, depot_id, slot_capacity::bigint, hold_days::bigint,
                   extension_days::bigint, active
            FROM pickup_points WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger).decode((Int64, String, String, Int64, Int64?, Int64, Int64, Int64, Bool).self)
        {
            return PointInfo(id: row.0, code: row.1, name: row.2, serviceCentreId: row.3, depotId: row.4, slotCapacity: row.5,
                             holdDays: row.6, extensionDays: row.7, active: row.8)
        }
        return nil
    }

    /// One pickup as the JSON of `PickupView` (the code hash is never selected).
    private static let viewColumns = """
        jsonb_build_object('id', p.id, 'shipmentId', p.shipment_id, 'trackingNo', s.tracking_no, 'carrier', s.carrier,
            'kind', s.kind, 'pickupPointId', p.pickup_point_id, 'slotNo', p.slot_no, 'status', p.status,
            'recipientPhoneLast4', p.recipient_phone_last4, 'checkedInAt', p.checked_in_at, 'holdUntil', p.hold_until,
            'extended', p.extended, 'locked', p.locked, 'failedAttempts', p.failed_attempts, 'collectedAt', p.collected_at,
            'collectedBy', p.collected_by, 'returnedAt', p.returned_at, 'returnShipmentId', p.return_shipment_id)::text
        """

    private static func decodeViews(_ rows: PostgresRowSequence) async throws -> [PickupView] {
        var views: [PickupView] = []
        for try await text in rows.decode(String.self) {
            views.append(try JSONDecoder().decode(PickupView.self, from: Data(text.utf8)))
        }
        return views
    }

    /// Pickups by id, in id order.
    static func views(ids: [Int64], conn: PostgresConnection, logger: Logger) async throws -> [PickupView] {
        try await decodeViews(try await conn.query("""
            SELECT \(unescaped: viewColumns) FROM pickups p JOIN shipments s ON s.id = p.shipment_id
            WHERE p.id = ANY(\(ids)) ORDER BY p.id
            """, logger: logger))
    }

    /// Up to `limit` pickups of a point in `status` after id `after`, in id order,
    /// optionally only a recipient's (last four phone digits).
    static func views(pointId: Int64, status: String, phoneLast4: String?, after: Int64, limit: Int, conn: PostgresConnection,
                      logger: Logger) async throws -> [PickupView] {
        try await decodeViews(try await conn.query("""
            SELECT \(unescaped: viewColumns) FROM pickups p JOIN shipments s ON s.id = p.shipment_id
            WHERE p.pickup_point_id = \(pointId) AND p.status = \(status) AND p.id > \(after)
              AND (\(phoneLast4)::text IS NULL OR p.recipient_phone_last4 = \(phoneLast4))
            ORDER BY p.id LIMIT \(limit)
            """, logger: logger))
    }

    /// A point's counts for its counter screen.
    struct Counts {
        let waiting, dueToday, overdue, locked, collectedToday, returnedThisWeek: Int64
    }

    static func counts(pointId: Int64, conn: PostgresConnection, logger: Logger) async throws -> Counts {
        for try await row in try await conn.query("""
            SELECT count(*) FILTER (WHERE status = 'waiting')::bigint,
                   count(*) FILTER (WHERE status = 'waiting' AND hold_until >= now() AND hold_until < current_date + 1)::bigint,
                   count(*) FILTER (WHERE status = 'waiting' AND hold_until < now())::bigint,
                   count(*) FILTER (WHERE status = 'waiting' AND locked)::bigint,
                   count(*) FILTER (WHERE status = 'collected' AND collected_at >= current_date)::bigint,
                   count(*) FILTER (WHERE status = 'returned' AND returned_at >= date_trunc('week', now()))::bigint
            FROM pickups WHERE pickup_point_id = \(pointId)
              AND (status = 'waiting' OR collected_at >= current_date OR returned_at >= date_trunc('week', now()))
            """, logger: logger).decode((Int64, Int64, Int64, Int64, Int64, Int64).self) {
            return Counts(waiting: row.0, dueToday: row.1, overdue: row.2, locked: row.3, collectedToday: row.4, returnedThisWeek: row.5)
        }
        throw DomainError.internalError("no counter row")
    }

    static func audit(_ pickupIds: [Int64], action: String, reason: String?, caller: Caller?, conn: PostgresConnection,
                      logger: Logger) async throws {
        try await conn.query("""
            INSERT INTO pickup_audit (pickup_id, action, reason, api_key_id)
            SELECT id, \(action), \(reason), \(caller?.keyId) FROM unnest(\(pickupIds)::bigint[]) AS id
            """, logger: logger)
    }

    // MARK: - check-in

    /// Slots of the point taken by waiting parcels.
    static func usedSlots(pointId: Int64, conn: PostgresConnection, logger: Logger) async throws -> Set<Int64> {
        var used: Set<Int64> = []
        for try await slot in try await conn.query(
            "SELECT slot_no::bigint FROM pickups WHERE pickup_point_id = \(pointId) AND status = 'waiting'", logger: logger
        ).decode(Int64.self) { used.insert(slot) }
        return used
    }

    /// Draws a pickup id (its code's hash is keyed by it, so it is known before the insert).
    static func nextPickupId(conn: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await id in try await conn.query(
            "SELECT nextval(pg_get_serial_sequence('pickups', 'id'))", logger: logger
        ).decode(Int64.self) { return id }
        throw DomainError.internalError("no pickup id drawn")
    }

    /// A parcel put on the shelf: slot, recipient digits, code hash, hold of `holdDays`.
    static func insert(pickupId: Int64, shipmentId: Int64, pointId: Int64, slot: Int64, phoneLast4: String, codeHash: ByteBuffer,
                       holdDays: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            INSERT INTO pickups (id, shipment_id, pickup_point_id, slot_no, recipient_phone_last4, code_hash, hold_until)
            OVERRIDING SYSTEM VALUE
            VALUES (\(pickupId), \(shipmentId), \(pointId), \(slot)::integer, \(phoneLast4), \(codeHash),
                    now() + make_interval(days => \(holdDays)::integer))
            """, logger: logger)
    }

    // MARK: - holds

    /// A pickup of a point, locked: its status, shipment, lock and extension flags, and
    /// whether its hold is still running. Nil when the point has no such pickup.
    static func lock(pickupId: Int64, pointId: Int64, conn: PostgresConnection, logger: Logger) async throws
        -> (status: String, shipmentId: Int64, locked: Bool, extended: Bool, beforeDeadline: Bool)?
    {
        for try await row in try await conn.query("""
            SELECT status, shipment_id, locked, extended, hold_until > now() FROM pickups
            WHERE id = \(pickupId) AND pickup_point_id = \(pointId) FOR UPDATE
            """, logger: logger).decode((String, Int64, Bool, Bool, Bool).self) {
            return (row.0, row.1, row.2, row.3, row.4)
        }
        return nil
    }

    /// Extends a hold by `days` (once: it is marked extended) and re-arms its reminder.
    static func extendHold(pickupId: Int64, days: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            UPDATE pickups SET hold_until = hold_until + make_interval(days => \(days)::integer), extended = true, reminded = false
            WHERE id = \(pickupId)
            """, logger: logger)
    }

    static func unlock(pickupId: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("UPDATE pickups SET locked = false, failed_attempts = 0 WHERE id = \(pickupId)", logger: logger)
    }

    /// The waiting parcel whose hold ended first, with its shipment, locked; rows
    /// locked elsewhere are skipped.
    struct Expired {
        let pickupId, pointId, shipmentId: Int64
        let status, kind: String
        let warehouseId, orderId: Int64?
        let trackingNo, carrier: String
        let grams, cm3: Int64
        let coldChain: Bool
    }

    static func nextExpired(conn: PostgresConnection, logger: Logger) async throws -> Expired? {
        for try await r in try await conn.query("""
            SELECT p.id, p.pickup_point_id, s.id, s.status, s.kind, s.warehouse_id, s.order_id, s.tracking_no, s.carrier,
                   s.grams, s.cm3, s.cold_chain
            FROM pickups p JOIN shipments s ON s.id = p.shipment_id
            WHERE p.status = 'waiting' AND p.hold_until < now()
            ORDER BY p.hold_until, p.id LIMIT 1 FOR UPDATE OF p, s SKIP LOCKED
            """, logger: logger).decode((Int64, Int64, Int64, String, String, Int64?, Int64?, String, String, Int64, Int64, Bool).self) {
            return Expired(pickupId: r.0, pointId: r.1, shipmentId: r.2, status: r.3, kind: r.4, warehouseId: r.5, orderId: r.6,
                           trackingNo: r.7, carrier: r.8, grams: r.9, cm3: r.10, coldChain: r.11)
        }
        return nil
    }

    /// Frees the slot of a parcel whose shipment left the shelf another way: collected
    /// when the shipment was, returned otherwise.
    static func closeLeftShelf(pickupId: Int64, shipmentStatus: String, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            UPDATE pickups SET status = CASE WHEN \(shipmentStatus) = 'collected' THEN 'collected' ELSE 'returned' END,
                returned_at = CASE WHEN \(shipmentStatus) = 'collected' THEN NULL ELSE now() END,
                collected_at = CASE WHEN \(shipmentStatus) = 'collected' THEN now() END
            WHERE id = \(pickupId)
            """, logger: logger)
    }

    static func markReturned(pickupId: Int64, returnShipmentId: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            UPDATE pickups SET status = 'returned', returned_at = now(), return_shipment_id = \(returnShipmentId) WHERE id = \(pickupId)
            """, logger: logger)
    }

    /// Marks up to `limit` waiting parcels due a reminder within `leadSeconds` as
    /// reminded; returns (pickup, point, shipment) of each.
    static func takeDueReminders(leadSeconds: Double, limit: Int, conn: PostgresConnection, logger: Logger) async throws
        -> [(pickupId: Int64, pointId: Int64, shipmentId: Int64)]
    {
        var due: [(Int64, Int64, Int64)] = []
        for try await row in try await conn.query("""
            UPDATE pickups p SET reminded = true
            WHERE p.id IN (SELECT id FROM pickups WHERE status = 'waiting' AND NOT reminded AND hold_until > now()
                             AND hold_until <= now() + make_interval(secs => \(leadSeconds))
                           ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING p.id, p.pickup_point_id, p.shipment_id
            """, logger: logger).decode((Int64, Int64, Int64).self) { due.append(row) }
        return due.map { ($0.0, $0.1, $0.2) }
    }

    /// Whether any waiting parcel is past its hold or due a reminder within `leadSeconds`.
    static func hasDueWork(leadSeconds: Double, database: Database) async throws -> Bool {
        for try await due in try await database.query("""
            SELECT EXISTS (SELECT 1 FROM pickups WHERE status = 'waiting'
                AND (hold_until < now() OR (NOT reminded AND hold_until <= now() + make_interval(secs => \(leadSeconds)))))
            """).decode(Bool.self) { return due }
        return false
    }

    // MARK: - hand-over and failures

    /// Serialises hand-over attempts on one advisory lock (`lockClass`, `id`) until commit.
    static func advisoryLock(_ lockClass: Int32, _ id: Int32, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("SELECT pg_advisory_xact_lock(\(lockClass), \(id))", logger: logger)
    }

    /// A waiting parcel on the shelf that a code may open.
    struct Candidate {
        let id: Int64
        let codeHash: ByteBuffer
        let locked: Bool
        let failedAttempts: Int64
        let shipmentId: Int64
        let shipmentStatus: String
    }

    /// The recipient's waiting parcels at the point whose shipments are on the shelf, locked.
    static func candidates(pointId: Int64, phoneLast4: String, conn: PostgresConnection, logger: Logger) async throws -> [Candidate] {
        var candidates: [Candidate] = []
        for try await row in try await conn.query("""
            SELECT p.id, p.code_hash, p.locked, p.failed_attempts::bigint, p.shipment_id, s.status
            FROM pickups p JOIN shipments s ON s.id = p.shipment_id
            WHERE p.pickup_point_id = \(pointId) AND p.recipient_phone_last4 = \(phoneLast4) AND p.status = 'waiting'
              AND s.status = 'at_pickup_point'
            ORDER BY p.id FOR UPDATE OF p, s
            """, logger: logger).decode((Int64, ByteBuffer, Bool, Int64, Int64, String).self) {
            candidates.append(Candidate(id: row.0, codeHash: row.1, locked: row.2, failedAttempts: row.3, shipmentId: row.4,
                                        shipmentStatus: row.5))
        }
        return candidates
    }

    static func markCollected(_ ids: [Int64], by collectedBy: String, caller: Caller, conn: PostgresConnection,
                              logger: Logger) async throws {
        try await conn.query("""
            UPDATE pickups SET status = 'collected', collected_at = now(), collected_by = \(collectedBy), collected_by_key = \(caller.keyId)
            WHERE id = ANY(\(ids))
            """, logger: logger)
    }

    /// One wrong code at the point by the key, toward both rate limits.
    static func recordFailure(pointId: Int64, caller: Caller, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            INSERT INTO pickup_failures (pickup_point_id, api_key_id, at) VALUES (\(pointId), \(caller.keyId), clock_timestamp())
            """, logger: logger)
    }

    /// Counts a wrong code on each parcel, locking those reaching `lockAfter`; returns
    /// (id, failed attempts, locked) per parcel.
    static func countWrongCode(_ ids: [Int64], lockAfter: Int, conn: PostgresConnection, logger: Logger) async throws
        -> [(id: Int64, failed: Int64, locked: Bool)]
    {
        var result: [(Int64, Int64, Bool)] = []
        for try await row in try await conn.query("""
            UPDATE pickups SET failed_attempts = failed_attempts + 1, locked = failed_attempts + 1 >= \(lockAfter)
            WHERE id = ANY(\(ids)) RETURNING id, failed_attempts::bigint, locked
            """, logger: logger).decode((Int64, Int64, Bool).self) { result.append(row) }
        return result.map { ($0.0, $0.1, $0.2) }
    }

    /// Failures at the point and by the key within the last `windowSeconds`, with the
    /// seconds until the oldest of each leaves the window, and the point itself.
    struct Limits {
        let point: PointInfo?
        let pointFailures: Int64
        let pointOldestLeavesIn: Double?
        let keyFailures: Int64
        let keyOldestLeavesIn: Double?
    }

    /// On `conn` when given (inside the hand-over's transaction), else on the pool.
    static func limits(pointId: Int64, keyId: Int64, windowSeconds: Double, conn: PostgresConnection?, database: Database)
        async throws -> Limits
    {
        let query: PostgresQuery = """
            WITH recent AS (
                SELECT pickup_point_id, api_key_id, at FROM pickup_failures
                WHERE at > clock_timestamp() - make_interval(secs => \(windowSeconds)) AND (pickup_point_id = \(pointId) OR api_key_id = \(keyId)))
            SELECT pp.id, pp.code, pp.name, pp.service_centre_id, pp.depot_id, pp.slot_capacity::bigint, pp.hold_days::bigint,
                   pp.extension_days::bigint, pp.active, l.*
            FROM (SELECT count(*) FILTER (WHERE pickup_point_id = \(pointId))::bigint,
                         extract(epoch FROM min(at) FILTER (WHERE pickup_point_id = \(pointId)) + make_interval(secs => \(windowSeconds))
                                            - clock_timestamp())::float8,
                         count(*) FILTER (WHERE api_key_id = \(keyId))::bigint,
                         extract(epoch FROM min(at) FILTER (WHERE api_key_id = \(keyId)) + make_interval(secs => \(windowSeconds))
                                            - clock_timestamp())::float8
                  FROM recent) l
            LEFT JOIN pickup_points pp ON pp.id = \(pointId)
            """
        let rows: QueryRows
        if let conn {
            rows = try await QueryRows(collecting: conn.query(query, logger: database.logger))
        } else {
            rows = try await database.query(query)
        }
        for try await row in rows.decode((Int64?, String?, String?, Int64?, Int64?, Int64?, Int64?, Int64?, Bool?,
                                          Int64, Double?, Int64, Double?).self) {
            var point: PointInfo?
            if let id = row.0, let code = row.1, let name = row.2, let centre = row.3, let capacity = row.5, let hold = row.6,
               let extensionDays = row.7, let active = row.8 {
                point = PointInfo(id: id, code: code, name: name, serviceCentreId: centre, depotId: row.4, slotCapacity: capacity,
                                  holdDays: hold, extensionDays: extensionDays, active: active)
            }
            return Limits(point: point, pointFailures: row.9, pointOldestLeavesIn: row.10, keyFailures: row.11,
                          keyOldestLeavesIn: row.12)
        }
        return Limits(point: nil, pointFailures: 0, pointOldestLeavesIn: nil, keyFailures: 0, keyOldestLeavesIn: nil)
    }

    /// Deletes failure records older than a day (the rate limit needs minutes).
    static func purgeFailures(database: Database) async throws {
        try await database.query("DELETE FROM pickup_failures WHERE at < now() - interval '1 day'")
    }

    // MARK: - the pepper

    /// The stored pickup-code pepper, storing `fresh` first if this database has none
    /// (two servers racing both read the row that won).
    static func pepper(orStore fresh: [UInt8], database: Database) async throws -> [UInt8] {
        try await database.query("""
            INSERT INTO server_secrets (name, secret) VALUES ('pickup_pepper', \(ByteBuffer(bytes: fresh)))
            ON CONFLICT (name) DO NOTHING
            """)
        for try await secret in try await database.query(
            "SELECT secret FROM server_secrets WHERE name = 'pickup_pepper'").decode(ByteBuffer.self)
        {
            return Array(secret.readableBytesView)
        }
        throw DomainError.internalError("no pickup pepper")
    }
}
