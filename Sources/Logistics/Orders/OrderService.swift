import Crypto
import Foundation
import OrderSplitting
import Persistence
import RuralPostCore

/// Order intake: validate, split against live stock with the OrderSplitting engine,
/// and write the order, its reservation, shipments, parcels, events, ledger rows,
/// quota counts and the idempotency record (with the response) in one transaction.
///
/// An intake is two round trips (sql/0005): `rp_order_context` reads what the split
/// needs without locking, the engine splits, and `rp_place_order` writes everything,
/// reserving each (warehouse, SKU) row only if its free units still cover the split.
/// When another order took the stock in between, the write fails as a whole and intake
/// reads and splits again; after a few such races it falls back to locking the stock
/// rows before reading, which always makes progress. So an order is only ever written
/// against the stock it is committed with, and the conditional reservation keeps the
/// no-oversell invariant in the database whatever the service does.
///
/// Idempotency: the key is claimed by the write itself. A concurrent request with the
/// same key blocks on the key's unique index until the first commits (then it replays
/// the stored response) or rolls back (then it runs itself). A crash rolls everything
/// back, key included, so nothing acknowledged is lost and nothing unacknowledged is
/// half-written.
public struct OrderService: Sendable {
    let database: Database
    let store: IntakeStore
    /// Splitting policy for intake. `allowPartial` can be overridden per order.
    public var policy = SplitPolicy(maxWarehouses: 3, allowPartial: true, backorderFen: 100_000)
    /// Last quota outcome per merchant, warehouses and ship day: what the next response promises.
    let quotaHints = QuotaHints()

    public init(database: Database) {
        self.database = database
        store = IntakeStore(database: database)
    }

    /// The outcome of a submission: the order view's exact JSON (what the first request
    /// was answered, byte for byte, on a replay).
    public struct Submission: Sendable {
        public let body: Data
        /// True when this is a replay of an earlier request with the same key.
        public let replayed: Bool
    }

    /// Optimistic attempts (read, split, conditional write) before intake locks the stock
    /// rows first; then up to `lockedAttempts` more (a quota guess proven wrong, or a
    /// deadlock with a same-key request, costs one).
    public var optimisticAttempts = 4
    public var lockedAttempts = 4

    /// Submits an order under `idempotencyKey`. The request's canonical JSON (sorted
    /// keys) is hashed to detect a key reused for a different request (422), so a retry
    /// matches whatever key order or spacing the client's JSON library produced.
    public func submit(_ request: OrderRequest, idempotencyKey: String, caller: Caller) async throws -> Submission {
        try Self.requireIntake(caller)
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= 200 else {
            throw DomainError.invalid(field: "Idempotency-Key", message: "must be 1 to 200 characters")
        }
        try request.validate()
        let hash = Data(SHA256.hash(data: try OrderView.encoder.encode(request)))
        for attempt in 1...max(1, optimisticAttempts + lockedAttempts) {
            do {
                let response: Submission
                if attempt > optimisticAttempts {
                    response = try await database.transaction { conn in
                        try await store.lockStock(skus: request.lines.map(\.sku), conn: conn)
                        return try await place(request, key: idempotencyKey, hash: hash, caller: caller, conn: conn)
                    }
                } else {
                    response = try await database.withConnection { conn in
                        try await place(request, key: idempotencyKey, hash: hash, caller: caller, conn: conn)
                    }
                }
                if !response.replayed, Int.random(in: 0..<500) == 0 {
                    // Expired idempotency keys (kept 48 h) are swept now and then by intake
                    // itself; the order is committed already, so a failed sweep only logs.
                    do {
                        try await store.sweepExpiredKeys()
                    } catch {
                        database.logger.warning("sweeping expired idempotency keys failed", metadata: ["error": "\(error)"])
                    }
                }
                return response
            } catch let race as IntakeRace {
                database.logger.debug("order intake raced (\(race)), attempt \(attempt)")
            }
        }
        throw DomainError.conflict(field: nil, message: "the stock or quotas of this order kept changing while it was written; retry")
    }

    /// A stored response for `hash`, or 422 when the key was used for another request.
    static func replay(storedHash: Data, body: Data, hash: Data) throws -> Submission {
        guard storedHash == hash else {
            throw DomainError.invalid(field: "Idempotency-Key", message: "this key was already used for a different request")
        }
        return Submission(body: body, replayed: true)
    }

    /// What the split would be and cost now, without reserving anything.
    public func quote(_ request: OrderRequest, caller: Caller) async throws -> QuoteView {
        try Self.requireIntake(caller)
        try request.validate()
        let context = try await database.withConnection { conn in
            try await store.context(merchant: request.merchant, skus: request.lines.map(\.sku), pickupPoint: request.pickupPointCode,
                                    idempotencyKey: nil, shipments: 0, caller: caller, conn: conn)
        }
        let resolved = try context.resolve(request, caller: caller)
        let plan = try split(request, context: context, resolved: resolved)
        return QuoteView(
            merchant: request.merchant, fillable: plan.fillable, exact: plan.exact, costFen: plan.costFen,
            shipments: plan.shipments.map { s in
                QuoteView.Shipment(warehouse: s.warehouse, zone: s.parcels.first?.zone, costFen: s.costFen,
                                   parcels: s.parcels.enumerated().map { OrderView.Parcel(parcelNo: $0.offset + 1, grams: $0.element.grams,
                                                                                          costFen: $0.element.costFen, items: $0.element.items) })
            },
            unfilled: plan.unfilled, explain: plan.explain)
    }

    static func requireIntake(_ caller: Caller) throws {
        try AccessPolicy.require(caller, .submitOrders)
    }

    /// The engine's sequential split of `request` against the stock in `context`.
    func split(_ request: OrderRequest, context: IntakeContext, resolved: ResolvedOrder) throws -> SplitPlan {
        guard let tariff = context.tariff else {
            throw DomainError.conflict(field: nil, message: "no tariff is configured; create a tariff first")
        }
        var policy = self.policy
        if let allowPartial = request.allowPartial { policy.allowPartial = allowPartial }
        do {
            let engine = try SplitEngine(tariff: tariff, skus: resolved.splitSKUs)
            return try engine.splitOne(resolved.splitOrder(request), warehouses: context.splitWarehouses(), policy: policy)
        } catch let error as SplitInputError {
            throw DomainError.invalid(field: Self.requestField(error.field), message: error.message)
        }
    }

    /// Maps the engine's field paths (`order.lines[1].qty`) to request fields (`lines[1].qty`).
    static func requestField(_ field: String) -> String {
        field.hasPrefix("order.") ? String(field.dropFirst(6)) : field
    }
}
