import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// The `notification_outbox` table: SQL and row decoding only; `NotificationOutbox`
/// holds the rules (who receives what, when a retry is allowed, who may see a row).
enum NotificationStore {
    /// Queues a notification in `conn`'s transaction, to the merchant's endpoint when it
    /// has one, else to the service centre's.
    static func insert(kind: String, shipmentId: Int64?, pointId: Int64, serviceCentreId: Int64, merchantId: Int64?, payload: String,
                       sealedCode: ByteBuffer?, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            INSERT INTO notification_outbox (kind, shipment_id, pickup_point_id, owner_kind, owner_id, endpoint, payload, sealed_code)
            SELECT \(kind), \(shipmentId), \(pointId),
                   CASE WHEN nullif(m.webhook_url, '') IS NOT NULL THEN 'merchant' ELSE 'service_centre' END,
                   CASE WHEN nullif(m.webhook_url, '') IS NOT NULL THEN m.id ELSE c.id END,
                   coalesce(nullif(m.webhook_url, ''), nullif(c.webhook_url, '')), \(payload)::jsonb, \(sealedCode)
            FROM service_centres c LEFT JOIN merchants m ON m.id = \(merchantId)
            WHERE c.id = \(serviceCentreId)
            """, logger: logger)
    }

    /// A claimed row: id, kind, attempts, endpoint, signing secret, payload JSON, sealed code.
    typealias Claimed = (id: Int64, kind: String, attempts: Int, endpoint: String?, secret: String?, payload: String, sealed: ByteBuffer?)

    /// Claims up to `limit` due rows: counts the attempt, leases them for `leaseSeconds`
    /// and refreshes each endpoint from its owner.
    static func claim(limit: Int, leaseSeconds: Double, database: Database) async throws -> [Claimed] {
        try await database.transaction { conn in
            var claimed: [Claimed] = []
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
                """, logger: database.logger).decode((Int64, String, Int64, String?, String?, String, ByteBuffer?).self)
            {
                claimed.append((row.0, row.1, Int(row.2), row.3, row.4, row.5, row.6))
            }
            return claimed
        }
    }

    /// A delivered row; its sealed code is wiped.
    static func markSent(id: Int64, httpStatus: Int, database: Database) async throws {
        try await database.query("""
            UPDATE notification_outbox SET status = 'sent', sent_at = now(), sealed_code = NULL, last_status = \(httpStatus),
                last_error = NULL
            WHERE id = \(id)
            """)
    }

    /// A failed attempt: pending again after `retrySeconds`, or dead without them.
    static func markFailed(id: Int64, error: String, httpStatus: Int?, retrySeconds: Double?, database: Database) async throws {
        try await database.query("""
            UPDATE notification_outbox
            SET status = CASE WHEN \(retrySeconds)::double precision IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => coalesce(\(retrySeconds)::double precision, 0)),
                last_error = \(error), last_status = \(httpStatus.map(Int64.init))::integer
            WHERE id = \(id)
            """)
    }

    /// Rows newest first with an id below `before` (0: from the newest), in `status`,
    /// of the given points and centres (nil: any); rows without a point only when
    /// `everything`.
    static func views(before: Int64, status: String?, points: [Int64]?, centres: [Int64]?, everything: Bool, limit: Int,
                      database: Database) async throws -> [NotificationOutbox.View] {
        var items: [NotificationOutbox.View] = []
        for try await text in try await database.query("""
            SELECT jsonb_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'attempts', o.attempts,
                'shipmentId', o.shipment_id, 'pickupPointId', o.pickup_point_id, 'receiver', o.owner_kind, 'endpoint', o.endpoint,
                'lastError', o.last_error, 'lastStatus', o.last_status, 'nextAttemptAt', o.next_attempt_at,
                'createdAt', o.created_at, 'sentAt', o.sent_at)::text
            FROM notification_outbox o LEFT JOIN pickup_points p ON p.id = o.pickup_point_id
            WHERE (\(before) = 0 OR o.id < \(before)) AND (\(status)::text IS NULL OR o.status = \(status))
              AND (\(points)::bigint[] IS NULL OR p.id = ANY(\(points)::bigint[]))
              AND (\(centres)::bigint[] IS NULL OR p.service_centre_id = ANY(\(centres)::bigint[]))
              AND (\(everything) OR p.id IS NOT NULL)
            ORDER BY o.id DESC LIMIT \(limit)
            """).decode(String.self) {
            items.append(try JSONDecoder().decode(NotificationOutbox.View.self, from: Data(text.utf8)))
        }
        return items
    }

    /// A row's status and point, locked; nil when there is none.
    static func lockForRetry(id: Int64, conn: PostgresConnection, logger: Logger) async throws -> (String, Int64?)? {
        for try await row in try await conn.query(
            "SELECT status, pickup_point_id FROM notification_outbox WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((String, Int64?).self) { return row }
        return nil
    }

    /// A dead letter queued again from scratch.
    static func requeue(id: Int64, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = \(id)
            """, logger: logger)
    }
}
