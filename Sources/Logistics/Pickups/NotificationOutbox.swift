import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// The transactional outbox of pickup notifications. Rows are written in the same
/// transaction as the change they announce; the delivery worker claims due rows with
/// `FOR UPDATE SKIP LOCKED` (so several servers share the work), sends them, and
/// records the result: sent, retry later with backoff, or dead letter.
public struct NotificationOutbox: Sendable {
    let database: Database
    let secrets: PickupSecrets

    public init(database: Database, secrets: PickupSecrets) {
        self.database = database
        self.secrets = secrets
    }

    /// What a notification says (the arrival's code is added only when it is sent).
    struct Payload: Encodable {
        struct Point: Encodable { let id: Int64; let code: String; let name: String }
        struct Parcel: Encodable { let trackingNo: String; let carrier: String; let slotNo: Int64 }
        let event: String
        let pickupPoint: Point
        let recipientPhone: String?
        let recipientPhoneLast4: String
        let parcels: [Parcel]
        let holdUntil: String?
    }

    /// Queues a notification inside `conn`'s transaction. The receiver is the
    /// merchant's endpoint when the merchant has one, else the point's service centre
    /// (whose endpoint is typically its SMS gateway).
    static func enqueue(kind: String, shipmentId: Int64?, point: PointInfo, merchantId: Int64?, payload: Payload,
                        sealedCode: ByteBuffer?, conn: PostgresConnection, logger: Logger) async throws {
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try await NotificationStore.insert(kind: kind, shipmentId: shipmentId, pointId: point.id,
                                           serviceCentreId: point.serviceCentreId, merchantId: merchantId, payload: json,
                                           sealedCode: sealedCode, conn: conn, logger: logger)
    }

    /// One notification ready to send: the exact body, where to, and the signing secret.
    public struct Delivery: Sendable {
        public let id: Int64
        public let kind: String
        public let attempts: Int
        public let endpoint: String?
        public let secret: String?
        public let body: Data
    }

    /// Claims up to `limit` due notifications. Claiming counts the attempt and pushes
    /// `next_attempt_at` out by `lease`, so a worker that dies mid-send only delays the
    /// row; another picks it up when the lease runs out.
    public func claim(limit: Int, lease: Duration) async throws -> [Delivery] {
        let leaseSeconds = PickupPolicy.seconds(lease)
        let rows = try await NotificationStore.claim(limit: limit, leaseSeconds: leaseSeconds, database: database)
        // The pepper is only needed (and, on a fresh database, created) to open a code.
        let pepper = rows.contains { $0.6 != nil } ? try await secrets.pepper() : nil
        return try rows.map { id, kind, attempts, endpoint, secret, payload, sealed in
            var object = (try JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] ?? [:]
            object["id"] = Int(id)
            if let sealed, let pepper { object["code"] = try PickupSecrets.open(sealed, pepper: pepper) }
            let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return Delivery(id: id, kind: kind, attempts: attempts, endpoint: endpoint, secret: secret, body: body)
        }
    }

    /// Records a delivered notification and wipes the sealed code: it has left.
    public func markSent(id: Int64, httpStatus: Int) async throws {
        try await NotificationStore.markSent(id: id, httpStatus: httpStatus, database: database)
    }

    /// Records a failed attempt: retry after `retryAfter`, or park as a dead letter.
    public func markFailed(id: Int64, error: String, httpStatus: Int?, retryAfter: Duration?) async throws {
        let seconds = retryAfter.map(PickupPolicy.seconds)
        try await NotificationStore.markFailed(id: id, error: String(error.prefix(500)), httpStatus: httpStatus, retrySeconds: seconds,
                                               database: database)
    }

    /// A notification as the API shows it: never its payload (codes, phones).
    public struct View: Codable, Sendable {
        public let id: Int64
        public let kind: String
        public let status: String
        public let attempts: Int64
        public let shipmentId: Int64?
        public let pickupPointId: Int64?
        public let receiver: String?
        public let endpoint: String?
        public let lastError: String?
        public let lastStatus: Int64?
        public let nextAttemptAt: String
        public let createdAt: String
        public let sentAt: String?
    }

    static func requireRead(_ caller: Caller) throws {
        try AccessPolicy.require(caller, .readNotifications)
    }

    /// Notifications of the points the caller may see, newest first, by `status`.
    public func list(status: String?, cursor: String?, limit: Int, caller: Caller) async throws -> Page<View> {
        try Self.requireRead(caller)
        if let status { try Check.oneOf(status, ["pending", "sent", "dead"], "status") }
        let after = try Cursor.decode(cursor)
        let points = caller.restriction(.pickupPoint), centres = caller.restriction(.serviceCentre)
        let items = try await NotificationStore.views(before: after, status: status, points: points, centres: centres,
                                                      everything: caller.role == .admin, limit: limit + 1, database: database)
        return Page(fetched: items, limit: limit, key: \.id)
    }

    /// Puts a dead letter back in the queue (after its endpoint was fixed).
    public func retry(id: Int64, caller: Caller) async throws -> View {
        try Self.requireRead(caller)
        let logger = database.logger
        try await database.transaction { conn in
            let found = try await NotificationStore.lockForRetry(id: id, conn: conn, logger: logger)
            guard let found else { throw DomainError.notFound("no notification \(id)") }
            if caller.role != .admin {
                guard let pointId = found.1 else { throw DomainError.notFound("no notification \(id)") }
                _ = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("retry notifications"),
                                               conn: conn, logger: logger)
            }
            guard found.0 == "dead" else {
                throw DomainError.conflict(field: "status", message: "notification \(id) is \(found.0); only dead letters are retried")
            }
            try await NotificationStore.requeue(id: id, conn: conn, logger: logger)
        }
        let page = try await list(status: nil, cursor: Cursor.encode(afterId: id + 1), limit: 1, caller: caller)
        guard let view = page.items.first, view.id == id else { throw DomainError.notFound("no notification \(id)") }
        return view
    }
}
