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

    /// Allowed next states.
    public static let transitions: [String: Set<String>] = [
        "allocated": ["picked", "cancelled"],
        "picked": ["packed", "cancelled"],
        "packed": ["dispatched", "cancelled"],
        "dispatched": ["at_depot"],
        "at_depot": ["out_for_delivery"],
        "out_for_delivery": ["at_pickup_point", "delivered", "returned", "at_depot"],
        "at_pickup_point": ["collected", "returned"],
        "returned": ["return_received"],
    ]

    /// States in which the shipment's units are still reserved at the warehouse.
    public static let reservedStates: Set<String> = ["allocated", "picked", "packed"]

    /// Who moves a shipment into each state.
    static func roles(for target: String) -> Set<Role> {
        switch target {
        case "picked", "packed", "dispatched", "cancelled", "return_received": return [.operator]
        case "at_depot", "out_for_delivery", "delivered": return [.planner, .operator]
        default: return [.serviceCentre, .planner]
        }
    }

    /// Moves shipment `id` to `target`; illegal transitions are 409.
    public func transition(shipmentId id: Int64, to target: String, note: String?, caller: Caller) async throws {
        guard Self.transitions.values.contains(where: { $0.contains(target) }) else {
            throw DomainError.invalid(field: "status", message: "unknown status \(target)")
        }
        guard caller.role == .admin || Self.roles(for: target).contains(caller.role) else {
            throw DomainError.forbidden("role \(caller.role.rawValue) may not set status \(target)")
        }
        let logger = database.logger
        try await database.transaction { conn in
            var current: (String, Int64?, Int64?)?
            for try await row in try await conn.query(
                "SELECT status, warehouse_id, pickup_point_id FROM shipments WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int64?, Int64?).self) { current = row }
            guard let current, Self.visible(warehouse: current.1, point: current.2, to: caller) else {
                throw DomainError.notFound("no shipment \(id)")
            }
            if let route = Self.pickupPointStep(from: current.0, to: target) {
                throw DomainError.conflict(field: "status", message: route)
            }
            try await apply(shipmentId: id, from: current.0, to: target, warehouseId: current.1, note: note, caller: caller, conn: conn)
        }
    }

    /// Steps that only the pickup-point endpoints take, because they keep the shelf:
    /// check-in assigns a slot and a pickup code, collection needs the code and frees the
    /// slot, and a parcel leaves the shelf unclaimed only when its hold ends. Returns why
    /// the generic status change may not take the step, or nil.
    static func pickupPointStep(from: String, to target: String) -> String? {
        if target == "at_pickup_point" {
            return "parcels reach a pickup point by check-in at the point, which assigns a shelf slot and a pickup code"
        }
        if from == "at_pickup_point" {
            return "a parcel on a pickup point's shelf leaves it by collection with its code, "
                + "or goes back when its hold ends"
        }
        return nil
    }

    static func visible(warehouse: Int64?, point: Int64?, to caller: Caller) -> Bool {
        (warehouse.map { caller.allows(.warehouse, $0) } ?? true) && (point.map { caller.allows(.pickupPoint, $0) } ?? true)
    }

    /// The transition itself, inside a transaction that holds the shipment row lock.
    func apply(shipmentId id: Int64, from: String, to target: String, warehouseId: Int64?, note: String?, caller: Caller,
               conn: PostgresConnection) async throws {
        let logger = database.logger
        guard Self.transitions[from]?.contains(target) == true else {
            throw DomainError.conflict(field: "status", message: "a shipment cannot go from \(from) to \(target)")
        }
        if let warehouseId, target == "dispatched" || target == "cancelled" {
            // Consumption drops on_hand and reserved together; cancellation only reserved.
            let kind = target == "dispatched" ? "ship" : "release"
            let onHandFactor: Int64 = target == "dispatched" ? -1 : 0
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
                SELECT \(warehouseId), si.sku_id, \(kind), \(onHandFactor) * si.qty, -si.qty, \(note ?? "shipment \(target)"),
                       s.order_id, s.id, \(caller.keyId)
                FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id WHERE si.shipment_id = \(id)
                """, logger: logger)
        }
        if target == "return_received" {
            // Returned units come back on hand (see ShipmentLifecycle+Return.swift).
            try await receiveReturn(shipmentId: id, caller: caller, conn: conn)
        }
        try await conn.query("UPDATE shipments SET status = \(target), updated_at = now() WHERE id = \(id)", logger: logger)
        try await conn.query("""
            INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
            VALUES (\(id), \(from), \(target), \(note), \(caller.keyId))
            """, logger: logger)
    }

    /// Cancels an order whose shipments have not left their warehouses, releasing
    /// every reservation. Cancelling a cancelled order is a no-op.
    public func cancel(orderId: Int64, reason: String?, caller: Caller) async throws {
        guard caller.role == .admin || caller.role == .operator else {
            throw DomainError.forbidden("role \(caller.role.rawValue) may not cancel orders")
        }
        let logger = database.logger
        try await database.transaction { conn in
            var bindings = PostgresBindings()
            bindings.append(orderId)
            let filter = OrderQueries.visibilityFilter(caller, bindings: &bindings)
            var status: String?
            for try await s in try await conn.query(PostgresQuery(
                unsafeSQL: "SELECT o.status FROM orders o WHERE o.id = $1\(filter) FOR UPDATE", binds: bindings), logger: logger
            ).decode(String.self) { status = s }
            guard let status else { throw DomainError.notFound("no order \(orderId)") }
            if status == "cancelled" { return }
            var shipments: [(Int64, String, Int64?)] = []
            for try await row in try await conn.query(
                "SELECT id, status, warehouse_id FROM shipments WHERE order_id = \(orderId) ORDER BY warehouse_id, id FOR UPDATE",
                logger: logger
            ).decode((Int64, String, Int64?).self) { shipments.append(row) }
            if let moving = shipments.first(where: { !Self.reservedStates.contains($0.1) && $0.1 != "cancelled" }) {
                throw DomainError.conflict(field: nil, message: "shipment \(moving.0) is already \(moving.1); the order can no longer be cancelled")
            }
            for (id, from, warehouse) in shipments where from != "cancelled" {
                try await apply(shipmentId: id, from: from, to: "cancelled", warehouseId: warehouse, note: reason ?? "order cancelled",
                                caller: caller, conn: conn)
            }
            try await conn.query("UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id = \(orderId)", logger: logger)
        }
    }
}
