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
        if let row = try await PickupStore.lock(pickupId: pickupId, pointId: point.id, conn: conn, logger: logger) {
            return (point, row.status, row.shipmentId, row.locked, row.extended, row.beforeDeadline)
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
            try await PickupStore.extendHold(pickupId: pickupId, days: p.point.extensionDays, conn: conn, logger: logger)
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
            try await PickupStore.unlock(pickupId: pickupId, conn: conn, logger: logger)
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
            guard let parcel = try await PickupStore.nextExpired(conn: conn, logger: logger) else { return false }
            let (pickupId, shipmentId, status) = (parcel.pickupId, parcel.shipmentId, parcel.status)
            guard status == "at_pickup_point" else {
                // The shipment left the shelf by another way (a status set directly): just free the slot.
                try await PickupStore.closeLeftShelf(pickupId: pickupId, shipmentStatus: status, conn: conn, logger: logger)
                return true
            }
            let point = try await PointAccess.load(parcel.pointId, caller: caller, for: .operatePickupPoint("return parcels"),
                                                   conn: conn, logger: logger)
            try await ShipmentLifecycle(database: database).apply(
                shipmentId: shipmentId, from: try ShipmentLifecycle.status(status), to: .returned, warehouseId: nil,
                note: "not collected by the deadline at \(point.code)", caller: caller, conn: conn)
            // The physical way back: from the point to the origin warehouse (or back to the
            // other carrier for shared-distribution parcels), picked up by the next route.
            let returnId = try await PickupShipmentStore.insertReturn(
                of: parcel, point: point, note: "return of \(parcel.trackingNo) (\(parcel.kind)) from \(point.code)", caller: caller,
                conn: conn, logger: logger)
            try await PickupStore.markReturned(pickupId: pickupId, returnShipmentId: returnId, conn: conn, logger: logger)
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
                let due = try await PickupStore.takeDueReminders(leadSeconds: lead, limit: 200, conn: conn, logger: logger)
                for (pickupId, pointId, _) in due {
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
        try await PickupStore.hasDueWork(leadSeconds: policy.reminderSeconds, database: database)
    }

    /// Deletes failure records older than a day (the rate limit needs minutes).
    public func purgeFailures() async throws {
        try await PickupStore.purgeFailures(database: database)
    }
}
