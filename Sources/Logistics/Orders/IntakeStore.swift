import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// Intake's data access: the two functions of sql/0005 (as replaced by sql/0008), the
/// stock lock of the locked fallback, and the sweep of expired idempotency keys. SQL and
/// decoding only; `OrderService` holds the rules.
struct IntakeStore: Sendable {
    let database: Database

    /// What `place` found: the order written, or the key already taken by a committed
    /// request (its request hash and stored response).
    enum Placement {
        case placed
        case keyTaken(storedHash: Data, body: Data)
    }

    /// Why the write refused the order, from the SQLSTATEs `rp_place_order` raises.
    enum WriteRefusal: Error {
        /// A (warehouse, SKU) row no longer holds what the split took (RPSTK), or a lock
        /// wait ended in a deadlock (40P01).
        case stockMoved
        /// The quota counters disagree with what the response promised (RPQTA); the
        /// counters' outcome is `over`.
        case quotaMoved(over: Bool)
        /// Over quota, and the merchant's policy refuses such orders (RPQRF).
        case refusedOverQuota
    }

    /// Reads intake's context (`rp_order_context`). `shipments` ids are drawn for a real
    /// intake (0 for a quote).
    func context(merchant: String, skus: [String], pickupPoint: String?, idempotencyKey: String?, shipments: Int,
                 caller: Caller, conn: PostgresConnection) async throws -> IntakeContext {
        let rows = try await conn.query("""
            SELECT rp_order_context(\(caller.keyId), \(idempotencyKey)::text, \(merchant), \(skus)::text[],
                                    \(pickupPoint)::text, \(caller.restriction(.warehouse))::bigint[], \(shipments)::integer)::text
            """, logger: database.logger)
        for try await json in rows.decode(String.self) {
            return try JSONDecoder().decode(IntakeContext.self, from: Data(json.utf8))
        }
        throw DomainError.internalError("rp_order_context returned no row")
    }

    /// Writes one split order with `rp_place_order`: `rows` is `OrderWrite`'s JSON,
    /// `response` the bytes stored for replay under (`caller`'s key, `key`).
    func place(key: String, hash: Data, rows: String, response: Data, caller: Caller,
               conn: PostgresConnection) async throws -> Placement {
        do {
            let result = try await conn.query("""
                SELECT created, stored_hash, stored_body
                FROM rp_place_order(\(caller.keyId), \(key), \(ByteBuffer(data: hash)), \(rows)::jsonb, \(ByteBuffer(data: response)))
                """, logger: database.logger)
            for try await (created, storedHash, storedBody) in result.decode((Bool, ByteBuffer, ByteBuffer).self) {
                return created ? .placed : .keyTaken(storedHash: Data(buffer: storedHash), body: Data(buffer: storedBody))
            }
            throw DomainError.internalError("rp_place_order returned no row")
        } catch let error as PSQLError {
            switch error.serverInfo?[.sqlState] {
            case "RPSTK", "40P01": throw WriteRefusal.stockMoved
            case "RPQTA": throw WriteRefusal.quotaMoved(over: error.serverInfo?[.detail] == "true")
            case "RPQRF": throw WriteRefusal.refusedOverQuota
            default: throw error
            }
        }
    }

    /// Locks every stock row of these SKUs in (warehouse, SKU) order, the order
    /// `rp_place_order` locks in, so the read that follows sees stock no one else can take.
    func lockStock(skus: [String], conn: PostgresConnection) async throws {
        for try await _ in try await conn.query("""
            SELECT 1 FROM inventory i JOIN skus s ON s.id = i.sku_id WHERE s.code = ANY(\(skus))
            ORDER BY i.warehouse_id, i.sku_id FOR UPDATE OF i
            """, logger: database.logger) {}
    }

    /// Deletes idempotency records past their 48 hours.
    func sweepExpiredKeys() async throws {
        try await database.query("DELETE FROM idempotency_keys WHERE expires_at < now()")
    }
}
