import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// The `collection_requests` table and the collection shipments it creates: SQL and
/// row decoding only; `CollectionService` holds the rules.
enum CollectionStore {
    private static let viewSelect = """
        SELECT jsonb_build_object('id', c.id, 'pickupPointId', c.pickup_point_id, 'merchantId', c.merchant_id, 'merchant', m.code,
            'grams', c.grams, 'cm3', c.cm3, 'destination', c.destination, 'readyDate', to_char(c.ready_date, 'YYYY-MM-DD'),
            'status', c.status, 'shipmentId', c.shipment_id, 'trackingNo', s.tracking_no, 'createdAt', c.created_at)::text
        FROM collection_requests c JOIN merchants m ON m.id = c.merchant_id LEFT JOIN shipments s ON s.id = c.shipment_id
        """

    /// The id of the merchant with `code`, if any.
    static func merchantId(code: String, conn: PostgresConnection, logger: Logger) async throws -> Int64? {
        for try await id in try await conn.query("SELECT id FROM merchants WHERE code = \(code)", logger: logger).decode(Int64.self) {
            return id
        }
        return nil
    }

    /// Whether `date` (YYYY-MM-DD) is today or later on the database's clock.
    static func isTodayOrLater(_ date: String, conn: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await ok in try await conn.query("SELECT \(date)::date >= current_date", logger: logger).decode(Bool.self) {
            return ok
        }
        return false
    }

    /// A new open request; returns its id.
    static func insertRequest(pointId: Int64, merchantId: Int64, grams: Int64, cm3: Int64, destination: String, readyDate: String,
                              conn: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await id in try await conn.query("""
            INSERT INTO collection_requests (pickup_point_id, merchant_id, grams, cm3, destination, ready_date)
            VALUES (\(pointId), \(merchantId), \(grams), \(cm3), \(destination), \(readyDate)::date)
            RETURNING id
            """, logger: logger).decode(Int64.self) { return id }
        throw DomainError.internalError("no collection id returned")
    }

    /// The collection's shipment, allocated at the point with its creation event, and
    /// tied to request `requestId`; returns its id.
    static func insertShipment(requestId: Int64, trackingNo: String, point: PointInfo, grams: Int64, cm3: Int64, dueDate: String,
                               note: String, caller: Caller, conn: PostgresConnection, logger: Logger) async throws -> Int64 {
        var shipmentId: Int64 = 0
        for try await new in try await conn.query("""
            INSERT INTO shipments (tracking_no, kind, pickup_point_id, depot_id, status, grams, cm3, due_date)
            VALUES (\(trackingNo), 'collection', \(point.id), \(point.depotId), 'allocated', \(grams), \(cm3), \(dueDate)::date)
            RETURNING id
            """, logger: logger).decode(Int64.self) { shipmentId = new }
        try await conn.query("""
            INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
            VALUES (\(shipmentId), NULL, 'allocated', \(note), \(caller.keyId))
            """, logger: logger)
        try await conn.query("UPDATE collection_requests SET shipment_id = \(shipmentId) WHERE id = \(requestId)", logger: logger)
        return shipmentId
    }

    /// A request of the point, locked: its status and shipment.
    static func lock(requestId: Int64, pointId: Int64, conn: PostgresConnection, logger: Logger) async throws
        -> (status: String, shipmentId: Int64?)?
    {
        for try await row in try await conn.query("""
            SELECT status, shipment_id FROM collection_requests WHERE id = \(requestId) AND pickup_point_id = \(pointId) FOR UPDATE
            """, logger: logger).decode((String, Int64?).self) { return (row.0, row.1) }
        return nil
    }

    /// A shipment's status, the row locked.
    static func lockShipment(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> String? {
        for try await status in try await conn.query("SELECT status FROM shipments WHERE id = \(id) FOR UPDATE", logger: logger)
            .decode(String.self) { return status }
        return nil
    }

    static func markCancelled(requestId: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("UPDATE collection_requests SET status = 'cancelled' WHERE id = \(requestId)", logger: logger)
    }

    static func view(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> CollectionService.View? {
        for try await text in try await conn.query("\(unescaped: viewSelect) WHERE c.id = \(id)", logger: logger).decode(String.self) {
            return try JSONDecoder().decode(CollectionService.View.self, from: Data(text.utf8))
        }
        return nil
    }

    /// Up to `limit` requests of the point after id `after`, in id order, optionally in `status`.
    static func views(pointId: Int64, status: String?, after: Int64, limit: Int, conn: PostgresConnection,
                      logger: Logger) async throws -> [CollectionService.View] {
        var items: [CollectionService.View] = []
        for try await text in try await conn.query("""
            \(unescaped: viewSelect)
            WHERE c.pickup_point_id = \(pointId) AND c.id > \(after) AND (\(status)::text IS NULL OR c.status = \(status))
            ORDER BY c.id LIMIT \(limit)
            """, logger: logger).decode(String.self) {
            items.append(try JSONDecoder().decode(CollectionService.View.self, from: Data(text.utf8)))
        }
        return items
    }
}
