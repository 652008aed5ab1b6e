import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

extension PickupService {
    /// A parcel of an arrivals request, resolved against the database.
    private struct Resolved {
        let index: Int
        var shipmentId: Int64?
        let trackingNo: String
        let carrier: String
        let fromStatus: String?
        let merchantId: Int64?
        let phone: String
        let last4: String
        let foreign: ArrivalRequest.Parcel?
    }

    /// Checks parcels in at point `pointId`, all or nothing: each gets a free slot, a
    /// hold deadline and (per recipient) a fresh pickup code whose keyed hash alone is
    /// stored; an `arrived` notification carrying the code is queued. A point without
    /// enough free slots refuses the whole arrival with 409.
    public func checkIn(pointId: Int64, _ request: ArrivalRequest, caller: Caller) async throws -> [PickupView] {
        guard !request.parcels.isEmpty else { throw DomainError.invalid(field: "parcels", message: "must not be empty") }
        guard request.parcels.count <= policy.maxParcelsPerArrival else {
            throw DomainError.invalid(field: "parcels", message: "at most \(policy.maxParcelsPerArrival) parcels per arrival")
        }
        var seen: Set<String> = []
        for (i, parcel) in request.parcels.enumerated() {
            let key = parcel.shipmentId.map { "id:\($0)" } ?? parcel.trackingNo.map { "no:\($0)" }
            guard let key else {
                throw DomainError.invalid(field: "parcels[\(i)]", message: "give shipmentId or trackingNo")
            }
            guard seen.insert(key).inserted else { throw DomainError.invalid(field: "parcels[\(i)]", message: "listed twice") }
            if let tracking = parcel.trackingNo { try Check.nonEmpty(tracking, "parcels[\(i)].trackingNo") }
            if let grams = parcel.grams { try Check.within(grams, 0...1_000_000, "parcels[\(i)].grams") }
        }
        let pepper = try await secrets.pepper()
        let logger = database.logger
        return try await database.transaction { conn in
            // The point's row lock serialises check-ins there, so two arrivals never take one slot.
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("check parcels in"),
                                                   lock: true, conn: conn, logger: logger)
            guard point.active else { throw DomainError.conflict(field: nil, message: "pickup point \(point.code) is not active") }
            var resolved: [Resolved] = []
            for (i, parcel) in request.parcels.enumerated() {
                resolved.append(try await resolve(parcel, index: i, point: point, conn: conn))
            }

            let used = try await PickupStore.usedSlots(pointId: point.id, conn: conn, logger: logger)
            let free = point.slotCapacity > 0 ? (1...point.slotCapacity).filter { !used.contains($0) } : []
            guard free.count >= resolved.count else {
                throw DomainError.conflict(field: "parcels", message:
                    "pickup point \(point.code) is full: \(free.count) free slot(s) of \(point.slotCapacity) for \(resolved.count) parcel(s)")
            }

            // One code per recipient in this arrival: all their parcels go with it.
            var codes: [String: String] = [:]
            var pickupIds: [Int64] = []
            var byRecipient: [String: [(pickupId: Int64, merchantId: Int64?, shipmentId: Int64)]] = [:]
            for (n, parcel) in resolved.enumerated() {
                let shipmentId = try await moveToPoint(parcel, point: point, caller: caller, conn: conn)
                let code = codes[parcel.phone] ?? PickupSecrets.newCode()
                codes[parcel.phone] = code
                let pickupId = try await PickupStore.nextPickupId(conn: conn, logger: logger)
                let hash = PickupSecrets.hash(code: code, pickupId: pickupId, pepper: pepper)
                try await PickupStore.insert(pickupId: pickupId, shipmentId: shipmentId, pointId: point.id, slot: free[n],
                                             phoneLast4: parcel.last4, codeHash: hash, holdDays: point.holdDays, conn: conn,
                                             logger: logger)
                pickupIds.append(pickupId)
                byRecipient[parcel.phone, default: []].append((pickupId, parcel.merchantId, shipmentId))
            }
            try await Self.audit(pickupIds, action: "checked_in", reason: nil, caller: caller, conn: conn, logger: logger)
            let views = try await Self.views(ids: pickupIds, conn: conn, logger: logger)
            let viewById = Dictionary(uniqueKeysWithValues: views.map { ($0.id, $0) })
            for phone in byRecipient.keys.sorted() {
                let parcels = byRecipient[phone]!
                // A recipient's parcels from several merchants: each merchant hears of its own.
                let merchants = Dictionary(grouping: parcels, by: { $0.merchantId ?? -1 })
                for merchant in merchants.keys.sorted() {
                    let group = merchants[merchant]!
                    let groupViews = group.compactMap { viewById[$0.pickupId] }
                    try await NotificationOutbox.enqueue(
                        kind: "arrived", shipmentId: group[0].shipmentId, point: point, merchantId: merchant < 0 ? nil : merchant,
                        payload: Self.payload("arrived", point: point, phone: phone, parcels: groupViews),
                        sealedCode: try PickupSecrets.seal(codes[phone]!, pepper: pepper), conn: conn, logger: logger)
                }
            }
            return views
        }
    }

    /// Finds the shipment a parcel names, checks it may be checked in here, or prepares
    /// a foreign (other carrier's) parcel.
    private func resolve(_ parcel: ArrivalRequest.Parcel, index i: Int, point: PointInfo, conn: PostgresConnection) async throws -> Resolved {
        let row = try await PickupShipmentStore.arriving(id: parcel.shipmentId, trackingNo: parcel.trackingNo, conn: conn,
                                                         logger: database.logger)
        let field = "parcels[\(i)]"
        guard let row else {
            // Not ours: another carrier's parcel in shared distribution, if described as one.
            guard parcel.shipmentId == nil, let tracking = parcel.trackingNo else {
                throw DomainError.invalid(field: "\(field).shipmentId", message: "no shipment \(parcel.shipmentId ?? 0) for this pickup point")
            }
            guard let carrier = parcel.carrier, !carrier.isEmpty, carrier != "ruralpost" else {
                throw DomainError.invalid(field: "\(field).trackingNo", message:
                    "unknown tracking number \(tracking); another carrier's parcel needs carrier and recipientPhone")
            }
            guard let phone = parcel.recipientPhone, let last4 = RecipientPhone.last4(phone) else {
                throw DomainError.invalid(field: "\(field).recipientPhone", message: "is required for another carrier's parcel")
            }
            return Resolved(index: i, shipmentId: nil, trackingNo: tracking, carrier: carrier, fromStatus: nil, merchantId: nil,
                            phone: phone, last4: last4, foreign: parcel)
        }
        let (id, tracking, carrier, kind, status, pointId, merchantId, phone) =
            (row.id, row.trackingNo, row.carrier, row.kind, row.status, row.pickupPointId, row.merchantId, row.recipientPhone)
        // A shipment bound for another point is reported like a missing one.
        guard pointId == point.id, kind == "outbound" || kind == "foreign" else {
            throw DomainError.invalid(field: "\(field).\(parcel.shipmentId == nil ? "trackingNo" : "shipmentId")",
                                     message: "no shipment \(parcel.shipmentId.map { String($0) } ?? tracking) for this pickup point")
        }
        guard status == "out_for_delivery" else {
            throw DomainError.conflict(field: field, message:
                "shipment \(tracking) is \(status); only shipments out_for_delivery can be checked in")
        }
        guard let phone, let last4 = RecipientPhone.last4(phone) else {
            throw DomainError.conflict(field: field, message: "shipment \(tracking) has no recipient phone")
        }
        return Resolved(index: i, shipmentId: id, trackingNo: tracking, carrier: carrier, fromStatus: status, merchantId: merchantId,
                        phone: phone, last4: last4, foreign: nil)
    }

    /// Moves our shipment to `at_pickup_point` through the lifecycle, or creates the
    /// foreign shipment there; returns the shipment id.
    private func moveToPoint(_ parcel: Resolved, point: PointInfo, caller: Caller, conn: PostgresConnection) async throws -> Int64 {
        if let id = parcel.shipmentId, let from = parcel.fromStatus {
            try await ShipmentLifecycle(database: database).apply(
                shipmentId: id, from: try ShipmentLifecycle.status(from), to: .atPickupPoint, warehouseId: nil, note: "checked in at \(point.code)",
                caller: caller, conn: conn)
            return id
        }
        return try await PickupShipmentStore.insertForeign(
            trackingNo: parcel.trackingNo, carrier: parcel.carrier, point: point, grams: parcel.foreign?.grams ?? 0,
            recipientName: parcel.foreign?.recipientName, recipientPhone: parcel.phone,
            note: "checked in at \(point.code) (shared distribution, \(parcel.carrier))", caller: caller, conn: conn, logger: database.logger)
    }
}
