import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Shipment status changes and order cancellation. Every change is validated against
/// the lifecycle, recorded as an event, and moves stock in the same transaction:
/// dispatch turns the reservation into consumption, cancellation releases it.
public struct ShipmentLifecycle: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Moves shipment `id` to `target`; illegal transitions are 409. `depotArrival` (RFC 3339
    /// with offset) is when the shipment reaches its depot: with `dispatched`, the
    /// line-haul's expected arrival; with `at_depot`, when it arrived (default: now).
    /// Route planning releases the shipment at that time (docs/planning.md).
    public func transition(shipmentId id: Int64, to requested: String, note: String?, depotArrival: String? = nil,
                           caller: Caller) async throws {
        guard let target = ShipmentStatus(rawValue: requested), ShipmentStatus.reachable.contains(target) else {
            throw DomainError.invalid(field: "status", message: "unknown status \(requested)")
        }
        try AccessPolicy.require(caller, .setShipmentStatus(target))
        let arrival = try depotArrival.map { try DepotArrival.parse($0, target: target, now: Date()) }
        let logger = database.logger
        try await database.transaction { conn in
            var current: (ShipmentStatus, Int64?, Int64?)?
            for try await row in try await conn.query(
                "SELECT status, warehouse_id, pickup_point_id FROM shipments WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int64?, Int64?).self) { current = (try Self.status(row.0), row.1, row.2) }
            guard let current, Self.visible(warehouse: current.1, point: current.2, to: caller) else {
                throw DomainError.notFound("no shipment \(id)")
            }
            if let route = Self.pickupPointStep(from: current.0, to: target) {
                throw DomainError.conflict(field: "status", message: route)
            }
            try await apply(shipmentId: id, from: current.0, to: target, warehouseId: current.1, note: note, caller: caller, conn: conn)
            try await recordDepotArrival(shipmentId: id, target: target, arrival: arrival, conn: conn)
        }
    }

    /// Keeps `depot_arrival_at` with the step: the expected arrival given at dispatch (or
    /// none), the actual one on arrival at the depot.
    func recordDepotArrival(shipmentId id: Int64, target: ShipmentStatus, arrival: Date?, conn: PostgresConnection) async throws {
        switch target {
        case .dispatched:
            try await conn.query("UPDATE shipments SET depot_arrival_at = \(arrival) WHERE id = \(id)", logger: database.logger)
        case .atDepot:
            try await conn.query("UPDATE shipments SET depot_arrival_at = coalesce(\(arrival), now()) WHERE id = \(id)",
                                 logger: database.logger)
        default:
            break
        }
    }

    /// Steps that only the pickup-point endpoints take, because they keep the shelf:
    /// check-in assigns a slot and a pickup code, collection needs the code and frees the
    /// slot, and a parcel leaves the shelf unclaimed only when its hold ends. Returns why
    /// the generic status change may not take the step, or nil.
    static func pickupPointStep(from: ShipmentStatus, to target: ShipmentStatus) -> String? {
        if target == .atPickupPoint {
            return "parcels reach a pickup point by check-in at the point, which assigns a shelf slot and a pickup code"
        }
        if from == .atPickupPoint {
            return "a parcel on a pickup point's shelf leaves it by collection with its code, "
                + "or goes back when its hold ends"
        }
        return nil
    }

    static func visible(warehouse: Int64?, point: Int64?, to caller: Caller) -> Bool {
        (warehouse.map { caller.allows(.warehouse, $0) } ?? true) && (point.map { caller.allows(.pickupPoint, $0) } ?? true)
    }

    /// The transition itself, inside a transaction that holds the shipment row lock.
    func apply(shipmentId id: Int64, from: ShipmentStatus, to target: ShipmentStatus, warehouseId: Int64?, note: String?,
               caller: Caller, conn: PostgresConnection) async throws {
        let logger = database.logger
        // A blank note or reason is no note: the ledger's reason falls back to the default.
        let note = note.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        guard from.canMove(to: target) else {
            throw DomainError.conflict(field: "status", message: "a shipment cannot go from \(from.rawValue) to \(target.rawValue)")
        }
        if let warehouseId, target == .dispatched || target == .cancelled {
            // Consumption drops on_hand and reserved together; cancellation only reserved.
            let kind = target == .dispatched ? "ship" : "release"
            let onHandFactor: Int64 = target == .dispatched ? -1 : 0
            var changed = 0, expected = 0
            // Lock the stock rows in (warehouse, SKU) order, as intake does, so the two never deadlock.
            for try await _ in try await conn.query("""
                SELECT 1 FROM inventory WHERE warehouse_id = \(warehouseId)
                  AND sku_id IN (SELECT sku_id FROM shipment_items WHERE shipment_id = \(id))
                ORDER BY sku_id FOR UPDATE
                """, logger: logger) { expected += 1 }
            for try await _ in try await conn.query("""
                UPDATE inventory i SET on_hand = i.on_hand + \(onHandFactor) * si.qty, reserved = i.reserved - si.qty, updated_at = now()
                FROM (SELECT sku_id, qty FROM shipment_items WHERE shipment_id = \(id) ORDER BY sku_id) si
                WHERE i.warehouse_id = \(warehouseId) AND i.sku_id = si.sku_id AND i.reserved >= si.qty
                RETURNING 1
                """, logger: logger) { changed += 1 }
            guard changed == expected else { throw DomainError.internalError("reservation of shipment \(id) is missing") }
            try await conn.query("""
                INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, order_id, shipment_id, api_key_id)
                SELECT \(warehouseId), si.sku_id, \(kind), \(onHandFactor) * si.qty, -si.qty, \(note ?? "shipment \(target.rawValue)"),
                       s.order_id, s.id, \(caller.keyId)
                FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id WHERE si.shipment_id = \(id)
                """, logger: logger)
        }
        if target == .returnReceived {
            // Returned units come back on hand (see ShipmentLifecycle+Return.swift).
            try await receiveReturn(shipmentId: id, caller: caller, conn: conn)
        }
        try await conn.query("UPDATE shipments SET status = \(target.rawValue), updated_at = now() WHERE id = \(id)", logger: logger)
        try await conn.query("""
            INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
            VALUES (\(id), \(from.rawValue), \(target.rawValue), \(note), \(caller.keyId))
            """, logger: logger)
    }

    /// Cancels an order whose shipments have not left their warehouses, releasing
    /// every reservation. Cancelling a cancelled order is a no-op.
    public func cancel(orderId: Int64, reason: String?, caller: Caller) async throws {
        try AccessPolicy.require(caller, .cancelOrders)
        let logger = database.logger
        try await database.transaction { conn in
            var bindings = PostgresBindings()
            bindings.append(orderId)
            let filter = OrderStore.visibilityFilter(caller, bindings: &bindings)
            var status: String?
            for try await s in try await conn.query(PostgresQuery(
                unsafeSQL: "SELECT o.status FROM orders o WHERE o.id = $1\(filter) FOR UPDATE", binds: bindings), logger: logger
            ).decode(String.self) { status = s }
            guard let status else { throw DomainError.notFound("no order \(orderId)") }
            if status == OrderStatus.cancelled.rawValue { return }
            var shipments: [(Int64, ShipmentStatus, Int64?)] = []
            for try await row in try await conn.query(
                "SELECT id, status, warehouse_id FROM shipments WHERE order_id = \(orderId) ORDER BY warehouse_id, id FOR UPDATE",
                logger: logger
            ).decode((Int64, String, Int64?).self) { shipments.append((row.0, try Self.status(row.1), row.2)) }
            if let moving = shipments.first(where: { !ShipmentStatus.reserved.contains($0.1) && $0.1 != .cancelled }) {
                throw DomainError.conflict(field: nil,
                                           message: "shipment \(moving.0) is already \(moving.1.rawValue); the order can no longer be cancelled")
            }
            for (id, from, warehouse) in shipments where from != .cancelled {
                try await apply(shipmentId: id, from: from, to: .cancelled, warehouseId: warehouse, note: reason ?? "order cancelled",
                                caller: caller, conn: conn)
            }
            try await conn.query("UPDATE orders SET status = \(OrderStatus.cancelled.rawValue), updated_at = now() WHERE id = \(orderId)",
                                 logger: logger)
        }
    }

    /// A status read from the database, where a CHECK keeps it one of `ShipmentStatus`.
    static func status(_ text: String) throws -> ShipmentStatus {
        guard let status = ShipmentStatus(rawValue: text) else { throw DomainError.internalError("unknown shipment status \(text)") }
        return status
    }
}
