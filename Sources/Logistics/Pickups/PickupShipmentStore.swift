import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// The shipment rows pickups read and create (`shipments`, `shipment_items`,
/// `shipment_events`): a parcel arriving at a point, another carrier's parcel, and the
/// return shipment of an uncollected one. SQL and row decoding only. (Status changes of
/// existing shipments go through `ShipmentLifecycle`.)
enum PickupShipmentStore {
    /// A shipment named by a check-in, with its order's merchant and recipient phone.
    struct Arriving {
        let id: Int64
        let trackingNo, carrier, kind, status: String
        let pickupPointId, merchantId: Int64?
        let recipientPhone: String?
    }

    /// The shipment with `id` or `trackingNo`, locked; nil when there is none.
    static func arriving(id: Int64?, trackingNo: String?, conn: PostgresConnection, logger: Logger) async throws -> Arriving? {
        guard id != nil || trackingNo != nil else { return nil }
        let condition: PostgresQuery
        if let id {
            condition = "SELECT s.id, s.tracking_no, s.carrier, s.kind, s.status, s.pickup_point_id, o.merchant_id, coalesce(o.recipient_phone, s.recipient_phone) FROM shipments s LEFT JOIN orders o ON o.id = s.order_id WHERE s.id = \(id) FOR UPDATE OF s"
        } else {
            condition = "SELECT s.id, s.tracking_no, s.carrier, s.kind, s.status, s.pickup_point_id, o.merchant_id, coalesce(o.recipient_phone, s.recipient_phone) FROM shipments s LEFT JOIN orders o ON o.id = s.order_id WHERE s.tracking_no = \(trackingNo ?? "") FOR UPDATE OF s"
        }
        for try await r in try await conn.query(condition, logger: logger)
            .decode((Int64, String, String, String, String, Int64?, Int64?, String?).self)
        {
            return Arriving(id: r.0, trackingNo: r.1, carrier: r.2, kind: r.3, status: r.4, pickupPointId: r.5, merchantId: r.6,
                            recipientPhone: r.7)
        }
        return nil
    }

    /// The merchant and recipient phone of a shipment (from its order, or its own).
    static func recipient(shipmentId: Int64, conn: PostgresConnection, logger: Logger) async throws
        -> (merchantId: Int64?, phone: String?)
    {
        for try await row in try await conn.query("""
            SELECT o.merchant_id, coalesce(o.recipient_phone, s.recipient_phone)
            FROM shipments s LEFT JOIN orders o ON o.id = s.order_id WHERE s.id = \(shipmentId)
            """, logger: logger).decode((Int64?, String?).self) { return (row.0, row.1) }
        return (nil, nil)
    }

    /// Another carrier's parcel, created on the shelf with its creation event; returns its id.
    static func insertForeign(trackingNo: String, carrier: String, point: PointInfo, grams: Int64, recipientName: String?,
                              recipientPhone: String, note: String, caller: Caller, conn: PostgresConnection,
                              logger: Logger) async throws -> Int64 {
        var id: Int64 = 0
        for try await new in try await conn.query("""
            INSERT INTO shipments (tracking_no, kind, carrier, pickup_point_id, depot_id, status, grams, recipient_name, recipient_phone)
            VALUES (\(trackingNo), 'foreign', \(carrier), \(point.id), \(point.depotId), 'at_pickup_point',
                    \(grams), \(recipientName), \(recipientPhone))
            RETURNING id
            """, logger: logger).decode(Int64.self) { id = new }
        try await conn.query("""
            INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
            VALUES (\(id), NULL, 'at_pickup_point', \(note), \(caller.keyId))
            """, logger: logger)
        return id
    }

    /// The return of an uncollected parcel: from the point to its origin warehouse (or
    /// back to the other carrier), carrying the same units, due out tomorrow, with its
    /// creation event; returns its id.
    static func insertReturn(of parcel: PickupStore.Expired, point: PointInfo, note: String, caller: Caller,
                             conn: PostgresConnection, logger: Logger) async throws -> Int64 {
        var returnId: Int64 = 0
        for try await id in try await conn.query("""
            INSERT INTO shipments (tracking_no, kind, carrier, order_id, warehouse_id, pickup_point_id, depot_id, returns_shipment_id,
                                   status, grams, cm3, cold_chain, due_date)
            VALUES (\("R" + parcel.trackingNo), 'return', \(parcel.carrier), \(parcel.orderId), \(parcel.warehouseId), \(point.id),
                    \(point.depotId), \(parcel.shipmentId), 'returned', \(parcel.grams), \(parcel.cm3), \(parcel.coldChain), current_date + 1)
            RETURNING id
            """, logger: logger).decode(Int64.self) { returnId = id }
        try await conn.query("""
            INSERT INTO shipment_items (shipment_id, sku_id, qty)
            SELECT \(returnId), sku_id, qty FROM shipment_items WHERE shipment_id = \(parcel.shipmentId)
            """, logger: logger)
        try await conn.query("""
            INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
            VALUES (\(returnId), NULL, 'returned', \(note), \(caller.keyId))
            """, logger: logger)
        return returnId
    }
}
