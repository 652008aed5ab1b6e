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
        try await conn.query("""
            INSERT INTO notification_outbox (kind, shipment_id, pickup_point_id, owner_kind, owner_id, endpoint, payload, sealed_code)
            SELECT \(kind), \(shipmentId), \(point.id),
                   CASE WHEN nullif(m.webhook_url, '') IS NOT NULL THEN 'merchant' ELSE 'service_centre' END,
                   CASE WHEN nullif(m.webhook_url, '') IS NOT NULL THEN m.id ELSE c.id END,
                   coalesce(nullif(m.webhook_url, ''), nullif(c.webhook_url, '')), \(json)::jsonb, \(sealedCode)
            FROM service_centres c LEFT JOIN merchants m ON m.id = \(merchantId)
            WHERE c.id = \(point.serviceCentreId)
            """, logger: logger)
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
        let logger = database.logger
        let rows = try await database.transaction { conn in
            var claimed: [(Int64, String, Int, String?, String?, String, ByteBuffer?)] = []
            for try await row in try await conn.query("""
                WITH due AS (
                    SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE notification_outbox o
                SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => \(leaseSeconds)),
                    endpoint = coalesce(CASE o.owner_kind
                        WHEN 'merchant' THEN (SELECT nullif(webhook_url, '') FROM merchants WHERE id = o.owner_id)
                        ELSE (SELECT nullif(webhook_url, '') FROM service_centres WHERE id = o.owner_id) END, o.endpoint)
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.kind, o.attempts::bigint, o.endpoint,
                    CASE o.owner_kind
                        WHEN 'merchant' THEN (SELECT nullif(webhook_secret, '') FROM merchants WHERE id = o.owner_id)
                        ELSE (SELECT nullif(webhook_secret, '') FROM service_centres WHERE id = o.owner_id) END,
                    o.payload::text, o.sealed_code
                """, logger: logger).decode((Int64, String, Int64, String?, String?, String, ByteBuffer?).self)
            {
                claimed.append((row.0, row.1, Int(row.2), row.3, row.4, row.5, row.6))
            }
            return claimed
        }
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
        try await database.query("""
            UPDATE notification_outbox SET status = 'sent', sent_at = now(), sealed_code = NULL, last_status = \(httpStatus),
                last_error = NULL
            WHERE id = \(id)
            """)
    }

    /// Records a failed attempt: retry after `retryAfter`, or park as a dead letter.
    public func markFailed(id: Int64, error: String, httpStatus: Int?, retryAfter: Duration?) async throws {
        let seconds = retryAfter.map(PickupPolicy.seconds)
        try await database.query("""
            UPDATE notification_outbox
            SET status = CASE WHEN \(seconds)::double precision IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => coalesce(\(seconds)::double precision, 0)),
                last_error = \(String(error.prefix(500))), last_status = \(httpStatus.map(Int64.init))::integer
            WHERE id = \(id)
            """)
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
        var items: [View] = []
        for try await text in try await database.query("""
            SELECT jsonb_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'attempts', o.attempts,
                'shipmentId', o.shipment_id, 'pickupPointId', o.pickup_point_id, 'receiver', o.owner_kind, 'endpoint', o.endpoint,
                'lastError', o.last_error, 'lastStatus', o.last_status, 'nextAttemptAt', o.next_attempt_at,
                'createdAt', o.created_at, 'sentAt', o.sent_at)::text
            FROM notification_outbox o LEFT JOIN pickup_points p ON p.id = o.pickup_point_id
            WHERE (\(after) = 0 OR o.id < \(after)) AND (\(status)::text IS NULL OR o.status = \(status))
              AND (\(points)::bigint[] IS NULL OR p.id = ANY(\(points)::bigint[]))
              AND (\(centres)::bigint[] IS NULL OR p.service_centre_id = ANY(\(centres)::bigint[]))
              AND (\(caller.role == .admin) OR p.id IS NOT NULL)
            ORDER BY o.id DESC LIMIT \(limit + 1)
            """).decode(String.self) {
            items.append(try JSONDecoder().decode(View.self, from: Data(text.utf8)))
        }
        return Page(fetched: items, limit: limit, key: \.id)
    }

    /// Puts a dead letter back in the queue (after its endpoint was fixed).
    public func retry(id: Int64, caller: Caller) async throws -> View {
        try Self.requireRead(caller)
        let logger = database.logger
        try await database.transaction { conn in
            var found: (String, Int64?)?
            for try await row in try await conn.query(
                "SELECT status, pickup_point_id FROM notification_outbox WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int64?).self) { found = row }
            guard let found else { throw DomainError.notFound("no notification \(id)") }
            if caller.role != .admin {
                guard let pointId = found.1 else { throw DomainError.notFound("no notification \(id)") }
                _ = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("retry notifications"),
                                               conn: conn, logger: logger)
            }
            guard found.0 == "dead" else {
                throw DomainError.conflict(field: "status", message: "notification \(id) is \(found.0); only dead letters are retried")
            }
            try await conn.query("""
                UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = \(id)
                """, logger: logger)
        }
        let page = try await list(status: nil, cursor: Cursor.encode(afterId: id + 1), limit: 1, caller: caller)
        guard let view = page.items.first, view.id == id else { throw DomainError.notFound("no notification \(id)") }
        return view
    }
}
