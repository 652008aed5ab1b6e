import Foundation
import OrderSplitting
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
        let units = request.lines.reduce(0) { $0 + Int(clamping: $1.qty) }
        let context = try await store.context(merchant: request.merchant, skus: request.lines.map(\.sku),
                                              pickupPoint: request.pickupPointCode, idempotencyKey: key,
                                              shipments: min(policy.maxWarehouses, units), caller: caller, conn: conn)
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
        let body = try OrderView.encoder.encode(OrderView(write.stored))
        let rows = String(decoding: try JSONEncoder().encode(write), as: UTF8.self)
        do {
            switch try await store.place(key: key, hash: hash, rows: rows, response: body, caller: caller, conn: conn) {
            case .placed:
                quotaHints.record(hintKey, overQuota: overQuota)
                return Submission(body: body, replayed: false)
            case .keyTaken(let storedHash, let storedBody):
                return try Self.replay(storedHash: storedHash, body: storedBody, hash: hash)
            }
        } catch let refusal as IntakeStore.WriteRefusal {
            switch refusal {
            case .stockMoved:
                throw IntakeRace.stockMoved
            case .quotaMoved(let over):
                quotaHints.record(hintKey, overQuota: over)
                throw IntakeRace.quotaMoved
            case .refusedOverQuota:
                throw DomainError.conflict(field: "merchant",
                                          message: "over the daily quota for \(write.shipDay); this merchant's policy refuses such orders")
            }
        }
    }
}
