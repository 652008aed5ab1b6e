import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Reading orders back: one order as the API shows it, and filtered, paginated lists.
public struct OrderQueries: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The order view as JSON, built by PostgreSQL in one round trip. Intake builds the same
    /// view in Swift (OrderWrite); times are UTC with microseconds in both.
    static let viewSQL = """
        SELECT jsonb_build_object(
            'id', o.id, 'merchant', m.code, 'externalRef', o.external_ref, 'channel', o.channel, 'status', o.status,
            'deliveryMode', o.delivery_mode, 'pickupPoint', p.code, 'priority', o.priority, 'quotaStatus', o.quota_status,
            'promisedDate', o.promised_date, 'costFen', o.cost_fen, 'explain', o.explain,
            'createdAt', to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'lines', (SELECT jsonb_agg(jsonb_build_object('sku', s.code, 'qty', l.qty) ORDER BY l.line_no)
                      FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = o.id),
            'unfilled', (SELECT coalesce(jsonb_object_agg(s.code, l.qty - l.allocated_qty), '{}')
                         FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = o.id AND l.qty > l.allocated_qty),
            'shipments', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', sh.id, 'trackingNo', sh.tracking_no, 'warehouse', w.code, 'status', sh.status, 'zone', sh.zone,
                    'grams', sh.grams, 'costFen', sh.cost_fen, 'dueDate', sh.due_date,
                    'parcels', coalesce((SELECT jsonb_agg(jsonb_build_object('parcelNo', pa.parcel_no, 'grams', pa.grams,
                                            'costFen', pa.cost_fen, 'items', pa.items) ORDER BY pa.parcel_no)
                                         FROM parcels pa WHERE pa.shipment_id = sh.id), '[]')) ORDER BY sh.id)
                FROM shipments sh JOIN warehouses w ON w.id = sh.warehouse_id WHERE sh.order_id = o.id), '[]')
        )::text
        FROM orders o JOIN merchants m ON m.id = o.merchant_id LEFT JOIN pickup_points p ON p.id = o.pickup_point_id
        """

    /// Re-encodes through the typed view so stored and served bytes have one canonical form.
    static func canonical(_ json: String) throws -> Data {
        try OrderView.encoder.encode(try JSONDecoder().decode(OrderView.self, from: Data(json.utf8)))
    }

    /// Whether `caller` may see order `id`: merchant scope, and for warehouse-scoped
    /// keys, at least one shipment from one of their warehouses.
    static func visibilityFilter(_ caller: Caller, bindings: inout PostgresBindings) -> String {
        var sql = ""
        if let merchants = caller.restriction(.merchant) {
            bindings.append(merchants)
            sql += " AND o.merchant_id = ANY($\(bindings.count))"
        }
        if let warehouses = caller.restriction(.warehouse) {
            bindings.append(warehouses)
            sql += " AND EXISTS (SELECT 1 FROM shipments x WHERE x.order_id = o.id AND x.warehouse_id = ANY($\(bindings.count)))"
        }
        return sql
    }

    public func get(id: Int64, caller: Caller) async throws -> Data {
        try Self.requireRead(caller)
        var bindings = PostgresBindings()
        bindings.append(id)
        let filter = Self.visibilityFilter(caller, bindings: &bindings)
        for try await text in try await database.query(PostgresQuery(unsafeSQL: Self.viewSQL + " WHERE o.id = $1" + filter, binds: bindings))
            .decode(String.self)
        {
            return try Self.canonical(text)
        }
        throw DomainError.notFound("no order \(id)")
    }

    /// Orders newest-id-last, filtered by merchant code and status.
    public func list(merchant: String?, status: String?, cursor: String?, limit: Int, caller: Caller) async throws -> Page<OrderView> {
        try Self.requireRead(caller)
        var bindings = PostgresBindings()
        bindings.append(try Cursor.decode(cursor))
        bindings.append(limit + 1)
        var filter = Self.visibilityFilter(caller, bindings: &bindings)
        if let merchant {
            bindings.append(merchant)
            filter += " AND m.code = $\(bindings.count)"
        }
        if let status {
            bindings.append(status)
            filter += " AND o.status = $\(bindings.count)"
        }
        var items: [OrderView] = []
        for try await text in try await database.query(PostgresQuery(
            unsafeSQL: Self.viewSQL + " WHERE o.id > $1" + filter + " ORDER BY o.id LIMIT $2", binds: bindings)).decode(String.self)
        {
            items.append(try JSONDecoder().decode(OrderView.self, from: Data(text.utf8)))
        }
        return Page(fetched: items, limit: limit, key: \.id)
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
