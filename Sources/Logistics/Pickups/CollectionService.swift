import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Produce collection (揽收): a service centre registers goods villagers hand in at its
/// point. Each request becomes a `collection` shipment at the point, due out on its
/// ready date, which is a pickup demand for the depot's route planning.
public struct CollectionService: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// `POST /v1/pickup-points/{id}/collections`.
    public struct Request: Decodable, Sendable {
        /// Code of the merchant selling the produce.
        public let merchant: String
        public let grams: Int64
        public let cm3: Int64
        public let destination: String
        /// `YYYY-MM-DD`: when the goods can be picked up.
        public let readyDate: String

        public static let fieldNames: Set<String> = ["merchant", "grams", "cm3", "destination", "readyDate"]
    }

    /// A registered collection and its shipment.
    public struct View: Codable, Sendable {
        public let id: Int64
        public let pickupPointId: Int64
        public let merchantId: Int64
        public let merchant: String
        public let grams: Int64
        public let cm3: Int64
        public let destination: String
        public let readyDate: String
        public let status: String
        public let shipmentId: Int64?
        public let trackingNo: String?
        public let createdAt: String
    }

    static let viewSelect = """
        SELECT jsonb_build_object('id', c.id, 'pickupPointId', c.pickup_point_id, 'merchantId', c.merchant_id, 'merchant', m.code,
            'grams', c.grams, 'cm3', c.cm3, 'destination', c.destination, 'readyDate', to_char(c.ready_date, 'YYYY-MM-DD'),
            'status', c.status, 'shipmentId', c.shipment_id, 'trackingNo', s.tracking_no, 'createdAt', c.created_at)::text
        FROM collection_requests c JOIN merchants m ON m.id = c.merchant_id LEFT JOIN shipments s ON s.id = c.shipment_id
        """

    /// Registers produce for collection and creates its shipment, in one transaction.
    public func create(pointId: Int64, _ request: Request, caller: Caller) async throws -> View {
        try Check.nonEmpty(request.merchant, "merchant")
        try Check.within(request.grams, 1...1_000_000_000, "grams")
        try Check.within(request.cm3, 1...1_000_000_000_000, "cm3")
        try Check.nonEmpty(request.destination, "destination")
        guard CalendarDate.parse(request.readyDate) != nil else {
            throw DomainError.invalid(field: "readyDate", message: "must be a date YYYY-MM-DD")
        }
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("register collections"),
                                                   conn: conn, logger: logger)
            guard point.active else { throw DomainError.conflict(field: nil, message: "pickup point \(point.code) is not active") }
            var merchantId: Int64?
            for try await id in try await conn.query("SELECT id FROM merchants WHERE code = \(request.merchant)", logger: logger)
                .decode(Int64.self) { merchantId = id }
            guard let merchantId else { throw DomainError.invalid(field: "merchant", message: "unknown merchant \(request.merchant)") }
            guard caller.allows(.merchant, merchantId) else {
                throw DomainError.forbidden("merchant \(request.merchant) is outside this key's scope")
            }
            var valid = false
            for try await ok in try await conn.query(
                "SELECT \(request.readyDate)::date >= current_date",
                logger: logger).decode(Bool.self) { valid = ok }
            guard valid else { throw DomainError.invalid(field: "readyDate", message: "must be today or later") }

            var id: Int64 = 0
            for try await new in try await conn.query("""
                INSERT INTO collection_requests (pickup_point_id, merchant_id, grams, cm3, destination, ready_date)
                VALUES (\(point.id), \(merchantId), \(request.grams), \(request.cm3), \(request.destination), \(request.readyDate)::date)
                RETURNING id
                """, logger: logger).decode(Int64.self) { id = new }
            let digits = String(id)
            let tracking = "RC" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
            var shipmentId: Int64 = 0
            for try await new in try await conn.query("""
                INSERT INTO shipments (tracking_no, kind, pickup_point_id, depot_id, status, grams, cm3, due_date)
                VALUES (\(tracking), 'collection', \(point.id), \(point.depotId), 'allocated', \(request.grams), \(request.cm3),
                        \(request.readyDate)::date)
                RETURNING id
                """, logger: logger).decode(Int64.self) { shipmentId = new }
            try await conn.query("""
                INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                VALUES (\(shipmentId), NULL, 'allocated', \("produce collection \(id) at \(point.code) to \(request.destination)"), \(caller.keyId))
                """, logger: logger)
            try await conn.query("UPDATE collection_requests SET shipment_id = \(shipmentId) WHERE id = \(id)", logger: logger)
            return try await Self.view(id, conn: conn, logger: logger)
        }
    }

    /// Cancels an open collection (the villager kept the goods, or it was registered by
    /// mistake): the request and its shipment become `cancelled`, with an event, so route
    /// planning no longer picks it up. Once planned onto a route or collected it is `409`;
    /// cancelling a cancelled collection changes nothing.
    public func cancel(pointId: Int64, collectionId: Int64, reason: String?, caller: Caller) async throws -> View {
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("cancel collections"),
                                                   conn: conn, logger: logger)
            var found: (status: String, shipmentId: Int64?)?
            for try await row in try await conn.query("""
                SELECT status, shipment_id FROM collection_requests WHERE id = \(collectionId) AND pickup_point_id = \(point.id) FOR UPDATE
                """, logger: logger).decode((String, Int64?).self) { found = row }
            guard let found else { throw DomainError.notFound("no collection \(collectionId) at pickup point \(point.code)") }
            switch found.status {
            case "cancelled":
                break
            case "open":
                if let shipmentId = found.shipmentId {
                    var shipmentStatus = ""
                    for try await status in try await conn.query(
                        "SELECT status FROM shipments WHERE id = \(shipmentId) FOR UPDATE", logger: logger
                    ).decode(String.self) { shipmentStatus = status }
                    try await ShipmentLifecycle(database: database).apply(
                        shipmentId: shipmentId, from: try ShipmentLifecycle.status(shipmentStatus), to: .cancelled, warehouseId: nil,
                        note: reason ?? "produce collection cancelled", caller: caller, conn: conn)
                }
                try await conn.query("UPDATE collection_requests SET status = 'cancelled' WHERE id = \(collectionId)", logger: logger)
            default:
                throw DomainError.conflict(field: nil, message: "collection \(collectionId) is already \(found.status); it can no longer be cancelled")
            }
            return try await Self.view(collectionId, conn: conn, logger: logger)
        }
    }

    static func view(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> View {
        for try await text in try await conn.query("\(unescaped: Self.viewSelect) WHERE c.id = \(id)", logger: logger).decode(String.self) {
            return try JSONDecoder().decode(View.self, from: Data(text.utf8))
        }
        throw DomainError.internalError("collection \(id) vanished")
    }

    /// Collections registered at the point, in id order, optionally by status.
    public func list(pointId: Int64, status: String?, cursor: String?, limit: Int, caller: Caller) async throws -> Page<View> {
        if let status { try Check.oneOf(status, ["open", "planned", "collected", "cancelled"], "status") }
        let after = try Cursor.decode(cursor)
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .readPickupPoint("read collections"),
                                                   conn: conn, logger: logger)
            var items: [View] = []
            for try await text in try await conn.query("""
                \(unescaped: Self.viewSelect)
                WHERE c.pickup_point_id = \(point.id) AND c.id > \(after) AND (\(status)::text IS NULL OR c.status = \(status))
                ORDER BY c.id LIMIT \(limit + 1)
                """, logger: logger).decode(String.self) { items.append(try JSONDecoder().decode(View.self, from: Data(text.utf8))) }
            return Page(fetched: items, limit: limit, key: \.id)
        }
    }
}
