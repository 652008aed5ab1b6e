import Foundation
import Persistence
import RuralPostCore

/// Reading orders back: one order as the API shows it, and filtered, paginated lists.
/// The access policy, then `OrderStore`'s rows, then the one `OrderView` builder.
public struct OrderQueries: Sendable {
    let store: OrderStore

    public init(database: Database) {
        store = OrderStore(database: database)
    }

    /// Order `id` as JSON, byte for byte what intake answered when it was placed (the
    /// same view, the same encoder), with its current statuses.
    public func get(id: Int64, caller: Caller) async throws -> Data {
        try Self.requireRead(caller)
        guard let order = try await store.orders(OrderStore.Filter(id: id), visibleTo: caller).first else {
            throw DomainError.notFound("no order \(id)")
        }
        return try OrderView.encoder.encode(OrderView(order))
    }

    /// Orders newest-id-last, filtered by merchant code and status.
    public func list(merchant: String?, status: String?, cursor: String?, limit: Int, caller: Caller) async throws -> Page<OrderView> {
        try Self.requireRead(caller)
        let filter = OrderStore.Filter(afterId: try Cursor.decode(cursor), merchantCode: merchant, status: status, limit: limit + 1)
        let orders = try await store.orders(filter, visibleTo: caller)
        return Page(fetched: orders.map(OrderView.init), limit: limit, key: \.id)
    }

    static func requireRead(_ caller: Caller) throws {
        try AccessPolicy.require(caller, .readOrders)
    }
}

extension OrderView {
    /// Stable key order, so a replayed response is byte-identical.
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}
