import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

extension PickupService {
    /// Locks one pickup of a point the caller may operate; 404 when either is not visible.
    private func lockPickup(_ pickupId: Int64, pointId: Int64, caller: Caller, verb: String, conn: PostgresConnection)
        async throws -> (point: PointInfo, status: String, shipmentId: Int64, locked: Bool, extended: Bool, beforeDeadline: Bool)
    {
        let logger = database.logger
        let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint(verb), conn: conn, logger: logger)
        for try await row in try await conn.query("""
            SELECT status, shipment_id, locked, extended, hold_until > now() FROM pickups
            WHERE id = \(pickupId) AND pickup_point_id = \(point.id) FOR UPDATE
            """, logger: logger).decode((String, Int64, Bool, Bool, Bool).self) {
            return (point, row.0, row.1, row.2, row.3, row.4)
        }
        throw DomainError.notFound("no pickup \(pickupId) at pickup point \(pointId)")
    }

    /// Extends a waiting parcel's hold by the point's `extensionDays`, once, before the
    /// deadline, and tells the recipient.
    public func extend(pointId: Int64, pickupId: Int64, caller: Caller) async throws -> PickupView {
        let logger = database.logger
        return try await database.transaction { conn in
            let p = try await lockPickup(pickupId, pointId: pointId, caller: caller, verb: "extend holds", conn: conn)
            guard p.status == "waiting" else { throw DomainError.conflict(field: nil, message: "pickup \(pickupId) is \(p.status)") }
            guard !p.extended else { throw DomainError.conflict(field: nil, message: "pickup \(pickupId) was already extended once") }
            guard p.beforeDeadline else { throw DomainError.conflict(field: nil, message: "the hold of pickup \(pickupId) has ended") }
            guard p.point.extensionDays > 0 else {
                throw DomainError.conflict(field: nil, message: "pickup point \(p.point.code) allows no extension")
            }
            try await conn.query("""
                UPDATE pickups SET hold_until = hold_until + make_interval(days => \(p.point.extensionDays)::integer),
                    extended = true, reminded = false
                WHERE id = \(pickupId)
                """, logger: logger)
            try await Self.audit([pickupId], action: "extended", reason: nil, caller: caller, conn: conn, logger: logger)
            let view = try await Self.views(ids: [pickupId], conn: conn, logger: logger)[0]
            try await Self.notify("extended", view: view, point: p.point, conn: conn, logger: logger)
            return view
        }
    }

    /// Unlocks a parcel locked after wrong codes; staff must say why (audited).
    public func unlock(pointId: Int64, pickupId: Int64, reason: String, caller: Caller) async throws -> PickupView {
        try Check.nonEmpty(reason, "reason")
        let logger = database.logger
        return try await database.transaction { conn in
            let p = try await lockPickup(pickupId, pointId: pointId, caller: caller, verb: "unlock parcels", conn: conn)
            guard p.status == "waiting", p.locked else {
                throw DomainError.conflict(field: nil, message: "pickup \(pickupId) is not a locked waiting parcel")
            }
            try await conn.query("UPDATE pickups SET locked = false, failed_attempts = 0 WHERE id = \(pickupId)", logger: logger)
            try await Self.audit([pickupId], action: "unlocked", reason: reason, caller: caller, conn: conn, logger: logger)
            return try await Self.views(ids: [pickupId], conn: conn, logger: logger)[0]
        }
    }

    /// Returns every parcel whose hold has ended: marks it returned, frees its slot,
    /// moves the shipment to `returned`, creates a return shipment to the origin
    /// warehouse carrying the same units, and queues a `returned` notification. One
    /// transaction per parcel; rows being handled elsewhere are skipped, so the CLI
    /// and several servers can run this at once.
    public func expire(caller: Caller) async throws -> Int {
        var returned = 0
        while try await expireOne(caller: caller) { returned += 1 }
        return returned
    }

    private func expireOne(caller: Caller) async throws -> Bool {
        let logger = database.logger
        return try await database.transaction { conn in
            var found: (Int64, Int64, Int64, String, String, Int64?, Int64?, String, String, Int64, Int64, Bool)?
            for try await row in try await conn.query("""
                SELECT p.id, p.pickup_point_id, s.id, s.status, s.kind, s.warehouse_id, s.order_id, s.tracking_no, s.carrier,
                       s.grams, s.cm3, s.cold_chain
                FROM pickups p JOIN shipments s ON s.id = p.shipment_id
                WHERE p.status = 'waiting' AND p.hold_until < now()
                ORDER BY p.hold_until, p.id LIMIT 1 FOR UPDATE OF p, s SKIP LOCKED
                """, logger: logger).decode((Int64, Int64, Int64, String, String, Int64?, Int64?, String, String, Int64, Int64, Bool).self) {
                found = row
            }
            guard let (pickupId, pointId, shipmentId, status, kind, warehouseId, orderId, tracking, carrier, grams, cm3, cold) = found
            else { return false }
            guard status == "at_pickup_point" else {
                // The shipment left the shelf by another way (a status set directly): just free the slot.
                try await conn.query("""
                    UPDATE pickups SET status = CASE WHEN \(status) = 'collected' THEN 'collected' ELSE 'returned' END,
                        returned_at = CASE WHEN \(status) = 'collected' THEN NULL ELSE now() END,
                        collected_at = CASE WHEN \(status) = 'collected' THEN now() END
                    WHERE id = \(pickupId)
                    """, logger: logger)
                return true
            }
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("return parcels"),
                                                   conn: conn, logger: logger)
            try await ShipmentLifecycle(database: database).apply(
                shipmentId: shipmentId, from: try ShipmentLifecycle.status(status), to: .returned, warehouseId: nil,
                note: "not collected by the deadline at \(point.code)", caller: caller, conn: conn)
            // The physical way back: from the point to the origin warehouse (or back to the
            // other carrier for shared-distribution parcels), picked up by the next route.
            var returnId: Int64 = 0
            for try await id in try await conn.query("""
                INSERT INTO shipments (tracking_no, kind, carrier, order_id, warehouse_id, pickup_point_id, depot_id, returns_shipment_id,
                                       status, grams, cm3, cold_chain, due_date)
                VALUES (\("R" + tracking), 'return', \(carrier), \(orderId), \(warehouseId), \(point.id), \(point.depotId), \(shipmentId),
                        'returned', \(grams), \(cm3), \(cold), current_date + 1)
                RETURNING id
                """, logger: logger).decode(Int64.self) { returnId = id }
            try await conn.query("""
                INSERT INTO shipment_items (shipment_id, sku_id, qty) SELECT \(returnId), sku_id, qty FROM shipment_items WHERE shipment_id = \(shipmentId)
                """, logger: logger)
            try await conn.query("""
                INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                VALUES (\(returnId), NULL, 'returned', \("return of \(tracking) (\(kind)) from \(point.code)"), \(caller.keyId))
                """, logger: logger)
            try await conn.query("""
                UPDATE pickups SET status = 'returned', returned_at = now(), return_shipment_id = \(returnId) WHERE id = \(pickupId)
                """, logger: logger)
            try await Self.audit([pickupId], action: "returned", reason: "hold ended", caller: caller, conn: conn, logger: logger)
            let view = try await Self.views(ids: [pickupId], conn: conn, logger: logger)[0]
            try await Self.notify("returned", view: view, point: point, conn: conn, logger: logger)
            return true
        }
    }

    /// Queues a `reminder` for every waiting parcel whose deadline is within
    /// `policy.reminderLead` and that was not reminded yet (an extension re-arms it).
    public func remind(caller: Caller) async throws -> Int {
        let logger = database.logger
        let lead = policy.reminderSeconds
        var total = 0
        while true {
            let count = try await database.transaction { conn -> Int in
                var due: [(Int64, Int64, Int64)] = []
                for try await row in try await conn.query("""
                    UPDATE pickups p SET reminded = true
                    WHERE p.id IN (SELECT id FROM pickups WHERE status = 'waiting' AND NOT reminded AND hold_until > now()
                                     AND hold_until <= now() + make_interval(secs => \(lead))
                                   ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED)
                    RETURNING p.id, p.pickup_point_id, p.shipment_id
                    """, logger: logger).decode((Int64, Int64, Int64).self) { due.append(row) }
                for (pickupId, pointId, shipmentId) in due {
                    let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("send reminders"),
                                                           conn: conn, logger: logger)
                    let view = try await Self.views(ids: [pickupId], conn: conn, logger: logger)[0]
                    try await Self.notify("reminder", view: view, point: point, conn: conn, logger: logger)
                }
                return due.count
            }
            total += count
            if count < 200 { return total }
        }
    }

    /// Whether any parcel is due a reminder or a return (a cheap check before the work).
    public func hasDueWork() async throws -> Bool {
        for try await due in try await database.query("""
            SELECT EXISTS (SELECT 1 FROM pickups WHERE status = 'waiting'
                AND (hold_until < now() OR (NOT reminded AND hold_until <= now() + make_interval(secs => \(policy.reminderSeconds)))))
            """).decode(Bool.self) { return due }
        return false
    }

    /// Deletes failure records older than a day (the rate limit needs minutes).
    public func purgeFailures() async throws {
        try await database.query("DELETE FROM pickup_failures WHERE at < now() - interval '1 day'")
    }
}
