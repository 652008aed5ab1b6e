import Crypto
import Foundation
import NIOCore
import OrderSplitting
import PostgresNIO
import RuralPostCore

/// Order intake: validate, split against live stock with the OrderSplitting engine,
/// reserve, and write the order, its shipments, parcels, events, ledger rows and the
/// idempotency record, all in one transaction.
///
/// Idempotency: the idempotency row is inserted first in the same transaction. A
/// concurrent request with the same key blocks on that row's unique index until the
/// first commits (then it replays the stored response) or rolls back (then it runs
/// itself). A crash rolls everything back, key included, so nothing acknowledged is
/// lost and nothing unacknowledged is half-written.
public struct OrderService: Sendable {
    let database: Database
    /// Splitting policy for intake. `allowPartial` can be overridden per order.
    public var policy = SplitPolicy(maxWarehouses: 3, allowPartial: true, backorderFen: 100_000)

    public init(database: Database) {
        self.database = database
    }

    /// A stored or fresh response: the HTTP status and exact JSON body.
    public struct Response: Sendable {
        public let status: Int
        public let body: Data
        /// True when this is a replay of an earlier request with the same key.
        public let replayed: Bool
    }

    /// Submits an order under `idempotencyKey`. The request's canonical JSON (sorted
    /// keys) is hashed to detect a key reused for a different request (422), so a retry
    /// matches whatever key order or spacing the client's JSON library produced.
    public func submit(_ request: OrderRequest, idempotencyKey: String, caller: Caller) async throws -> Response {
        try Self.requireIntake(caller)
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= 200 else {
            throw StoreError.invalid(field: "Idempotency-Key", message: "must be 1 to 200 characters")
        }
        try request.validate()
        let hash = ByteBuffer(bytes: SHA256.hash(data: try OrderView.encoder.encode(request)))
        let logger = database.logger
        return try await database.transaction { conn in
            let claimed = try await conn.query("""
                INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES (\(caller.keyId), \(idempotencyKey), \(hash))
                ON CONFLICT (api_key_id, key) DO NOTHING RETURNING 1
                """, logger: logger)
            var isNew = false
            for try await _ in claimed { isNew = true }
            if !isNew {
                return try await Self.replay(key: idempotencyKey, hash: hash, caller: caller, conn: conn, logger: logger)
            }
            let orderId = try await place(request, caller: caller, conn: conn)
            let body = try await OrderQueries.viewJSON(orderId: orderId, conn: conn, logger: logger)
            try await conn.query("""
                UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = \(ByteBuffer(bytes: body))
                WHERE api_key_id = \(caller.keyId) AND key = \(idempotencyKey)
                """, logger: logger)
            return Response(status: 201, body: body, replayed: false)
        }
    }

    static func replay(key: String, hash: ByteBuffer, caller: Caller, conn: PostgresConnection, logger: Logger) async throws -> Response {
        for try await (storedHash, status, body) in try await conn.query("""
            SELECT request_hash, response_status, response_body FROM idempotency_keys
            WHERE api_key_id = \(caller.keyId) AND key = \(key)
            """, logger: logger).decode((ByteBuffer, Int32?, ByteBuffer?).self)
        {
            guard storedHash == hash else {
                throw StoreError.invalid(field: "Idempotency-Key", message: "this key was already used for a different request")
            }
            guard let status, let body else { break }
            return Response(status: Int(status), body: Data(body.readableBytesView), replayed: true)
        }
        throw StoreError.conflict(field: "Idempotency-Key", message: "a request with this key is still being processed; retry")
    }

    /// What the split would be and cost now, without reserving anything.
    public func quote(_ request: OrderRequest, caller: Caller) async throws -> QuoteView {
        try Self.requireIntake(caller)
        try request.validate()
        let logger = database.logger
        return try await database.transaction { conn in
            let context = try await OrderContext.load(request, caller: caller, conn: conn, logger: logger)
            let (plan, _) = try await split(request, context: context, caller: caller, lock: false, conn: conn)
            return QuoteView(
                merchant: request.merchant, fillable: plan.fillable, exact: plan.exact, costFen: plan.costFen,
                shipments: plan.shipments.map { s in
                    QuoteView.Shipment(warehouse: s.warehouse, zone: s.parcels.first?.zone, costFen: s.costFen,
                                       parcels: s.parcels.enumerated().map { OrderView.Parcel(parcelNo: $0.offset + 1, grams: $0.element.grams,
                                                                                              costFen: $0.element.costFen, items: $0.element.items) })
                },
                unfilled: plan.unfilled, explain: plan.explain)
        }
    }

    static func requireIntake(_ caller: Caller) throws {
        guard caller.role == .admin || caller.role == .operator else {
            throw StoreError.forbidden("role \(caller.role.rawValue) may not submit orders")
        }
    }

    func split(_ request: OrderRequest, context: OrderContext, caller: Caller, lock: Bool, conn: PostgresConnection)
        async throws -> (OrderPlan, StockSnapshot)
    {
        guard let tariff = try await TariffStore.current(conn: conn, logger: database.logger) else {
            throw StoreError.conflict(field: nil, message: "no tariff is configured; create one with POST /v1/tariffs")
        }
        let ids = context.skus.values.map(\.id)
        let codes = Dictionary(uniqueKeysWithValues: context.skus.values.map { ($0.id, $0.code) })
        let snapshot = try await StockSnapshot.load(skuIds: ids, codes: codes, caller: caller, lock: lock, conn: conn, logger: database.logger)
        var policy = self.policy
        if let allowPartial = request.allowPartial { policy.allowPartial = allowPartial }
        do {
            let engine = try SplitEngine(tariff: tariff, skus: context.splitSKUs)
            return (try engine.splitOne(context.splitOrder(request), warehouses: snapshot.warehouses, policy: policy), snapshot)
        } catch let error as SplitInputError {
            throw StoreError.invalid(field: Self.requestField(error.field), message: error.message)
        }
    }

    /// Maps the engine's field paths (`order.lines[1].qty`) to request fields (`lines[1].qty`).
    static func requestField(_ field: String) -> String {
        field.hasPrefix("order.") ? String(field.dropFirst(6)) : field
    }
}
