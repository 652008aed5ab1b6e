import Foundation
import NIOCore
import OrderSplitting
import Persistence
import PostgresNIO
import RuralPostCore

/// Why an intake attempt must start again from the read.
enum IntakeRace: Error {
    /// Another order took stock the split counted on (or a lock wait ended in a deadlock).
    case stockMoved
    /// The quota counters gave another outcome than the response promised.
    case quotaMoved
}

extension OrderService {
    /// One intake attempt on `conn`: read the context, split, write order and response.
    /// Throws `IntakeRace` when the write found the world changed since the read.
    func place(_ request: OrderRequest, key: String, hash: Data, caller: Caller, conn: PostgresConnection) async throws -> Submission {
        let logger = database.logger
        let units = request.lines.reduce(0) { $0 + Int(clamping: $1.qty) }
        let context = try await IntakeContext.load(request, idempotencyKey: key, shipments: min(policy.maxWarehouses, units),
                                                   caller: caller, conn: conn, logger: logger)
        if let replay = context.replay {
            return try Self.replay(storedHash: Data(Hex.bytes(replay.requestHash) ?? []),
                                   body: Data(replay.body.utf8), hash: hash)
        }
        let resolved = try context.resolve(request, caller: caller)
        let plan = try split(request, context: context, resolved: resolved)
        guard plan.fillable else {
            throw DomainError.conflict(field: "lines", message: "insufficient stock to ship the whole order (allowPartial is false)")
        }
        let dayIndex = context.shipDayIndex(cutoffs: plan.shipments.compactMap { context.warehouse($0.warehouse)?.cutoffMinutes })
        let hintKey = QuotaHints.Key(merchantId: resolved.merchant.id, warehouses: plan.shipments.map(\.warehouse).sorted(),
                                     day: context.days[dayIndex])
        // Refusing merchants are never written over quota; the write raises RPQRF instead.
        let overQuota = !resolved.merchant.refuseOverQuota && quotaHints.overQuota(hintKey)
        let write = try OrderWrite(request: request, plan: plan, context: context, resolved: resolved, shipDayIndex: dayIndex,
                                   overQuota: overQuota)
        let body = try OrderView.encoder.encode(write.view)
        let payload = String(decoding: try JSONEncoder().encode(write), as: UTF8.self)
        do {
            let rows = try await conn.query("""
                SELECT created, stored_hash, stored_status, stored_body
                FROM rp_place_order(\(caller.keyId), \(key), \(ByteBuffer(data: hash)), \(payload)::jsonb, \(ByteBuffer(data: body)))
                """, logger: logger)
            for try await (created, storedHash, _, storedBody) in rows.decode((Bool, ByteBuffer, Int32, ByteBuffer).self) {
                guard created else {
                    return try Self.replay(storedHash: Data(buffer: storedHash), body: Data(buffer: storedBody),
                                           hash: hash)
                }
                quotaHints.record(hintKey, overQuota: overQuota)
                return Submission(body: body, replayed: false)
            }
            throw DomainError.internalError("rp_place_order returned no row")
        } catch let error as PSQLError {
            switch error.serverInfo?[.sqlState] {
            case "RPSTK", "40P01":
                throw IntakeRace.stockMoved
            case "RPQTA":
                quotaHints.record(hintKey, overQuota: error.serverInfo?[.detail] == "true")
                throw IntakeRace.quotaMoved
            case "RPQRF":
                throw DomainError.conflict(field: "merchant",
                                          message: "over the daily quota for \(write.shipDay); this merchant's policy refuses such orders")
            default:
                throw error
            }
        }
    }

    /// Locks every stock row of these SKUs in (warehouse, SKU) order, the order
    /// `rp_place_order` locks in, so the read that follows sees stock no one else can take.
    static func lockStock(skus: [String], conn: PostgresConnection, logger: Logger) async throws {
        for try await _ in try await conn.query("""
            SELECT 1 FROM inventory i JOIN skus s ON s.id = i.sku_id WHERE s.code = ANY(\(skus))
            ORDER BY i.warehouse_id, i.sku_id FOR UPDATE OF i
            """, logger: logger) {}
    }
}
