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
            let merchantId = try await CollectionStore.merchantId(code: request.merchant, conn: conn, logger: logger)
            guard let merchantId else { throw DomainError.invalid(field: "merchant", message: "unknown merchant \(request.merchant)") }
            guard caller.allows(.merchant, merchantId) else {
                throw DomainError.forbidden("merchant \(request.merchant) is outside this key's scope")
            }
            let valid = try await CollectionStore.isTodayOrLater(request.readyDate, conn: conn, logger: logger)
            guard valid else { throw DomainError.invalid(field: "readyDate", message: "must be today or later") }

            let id = try await CollectionStore.insertRequest(
                pointId: point.id, merchantId: merchantId, grams: request.grams, cm3: request.cm3, destination: request.destination,
                readyDate: request.readyDate, conn: conn, logger: logger)
            let digits = String(id)
            let tracking = "RC" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
            _ = try await CollectionStore.insertShipment(
                requestId: id, trackingNo: tracking, point: point, grams: request.grams, cm3: request.cm3, dueDate: request.readyDate,
                note: "produce collection \(id) at \(point.code) to \(request.destination)", caller: caller, conn: conn, logger: logger)
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
            let found = try await CollectionStore.lock(requestId: collectionId, pointId: point.id, conn: conn, logger: logger)
            guard let found else { throw DomainError.notFound("no collection \(collectionId) at pickup point \(point.code)") }
            switch found.status {
            case "cancelled":
                break
            case "open":
                if let shipmentId = found.shipmentId {
                    let shipmentStatus = try await CollectionStore.lockShipment(shipmentId, conn: conn, logger: logger) ?? ""
                    try await ShipmentLifecycle(database: database).apply(
                        shipmentId: shipmentId, from: try ShipmentLifecycle.status(shipmentStatus), to: .cancelled, warehouseId: nil,
                        note: reason ?? "produce collection cancelled", caller: caller, conn: conn)
                }
                try await CollectionStore.markCancelled(requestId: collectionId, conn: conn, logger: logger)
            default:
                throw DomainError.conflict(field: nil, message: "collection \(collectionId) is already \(found.status); it can no longer be cancelled")
            }
            return try await Self.view(collectionId, conn: conn, logger: logger)
        }
    }

    static func view(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> View {
        guard let view = try await CollectionStore.view(id, conn: conn, logger: logger) else {
            throw DomainError.internalError("collection \(id) vanished")
        }
        return view
    }

    /// Collections registered at the point, in id order, optionally by status.
    public func list(pointId: Int64, status: String?, cursor: String?, limit: Int, caller: Caller) async throws -> Page<View> {
        if let status { try Check.oneOf(status, ["open", "planned", "collected", "cancelled"], "status") }
        let after = try Cursor.decode(cursor)
        let logger = database.logger
        return try await database.transaction { conn in
            let point = try await PointAccess.load(pointId, caller: caller, for: .readPickupPoint("read collections"),
                                                   conn: conn, logger: logger)
            let items = try await CollectionStore.views(pointId: point.id, status: status, after: after, limit: limit + 1,
                                                        conn: conn, logger: logger)
            return Page(fetched: items, limit: limit, key: \.id)
        }
    }
}
