import Foundation
import Logistics
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// Order intake reads stock without locks and writes with a conditional reservation
/// (sql/0005). These tests pin the two halves: the database refuses a write whose split
/// went stale, and the fallback that locks the stock first never oversells either.
@Suite struct IntakeRaceTests {
    /// The admin key's caller, for driving OrderService directly.
    static func adminCaller(_ app: TestApp) async throws -> Caller {
        for try await id in try await app.database.query("SELECT id FROM api_keys WHERE role = 'admin' ORDER BY id LIMIT 1")
            .decode(Int64.self)
        {
            return Caller(keyId: id, role: .admin, scopes: [:])
        }
        throw CancellationError()
    }

    /// A write that reserves more than is free fails as a whole: no order, no key, no
    /// reservation, whatever the service believed when it split.
    @Test func staleSplitIsRefusedByTheDatabase() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let fixture = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 3)])
            let caller = try await Self.adminCaller(app)
            var skuId: Int64 = 0
            for try await id in try await app.database.query("SELECT id FROM skus WHERE code = 'APPLE'").decode(Int64.self) { skuId = id }
            let payload = """
                {"order": {"id": 900001, "merchant_id": \(fixture.merchant), "channel": "online", "recipient_name": "Wang Fang",
                           "recipient_phone": "13800001234", "delivery_mode": "home", "address": "Upper village 3",
                           "lat": 30.2, "lon": 110.2, "priority": 0, "status": "accepted", "quota_status": "within_quota",
                           "cost_fen": 900, "explain": [], "created_at": "2026-11-22T08:00:00.000000Z"},
                 "lines": [{"line_no": 1, "sku_id": \(skuId), "qty": 5, "allocated_qty": 5}],
                 "shipments": [{"id": 900001, "tracking_no": "STALE1", "warehouse_id": \(fixture.warehouseA), "zone": 0,
                                "grams": 12500, "cm3": 0, "cost_fen": 900, "cold_chain": false, "due_date": "2026-11-23"}],
                 "items": [{"shipment_id": 900001, "warehouse_id": \(fixture.warehouseA), "sku_id": \(skuId), "qty": 5}],
                 "parcels": [], "ship_day": "2026-11-22", "over_quota": false, "refuse_over_quota": false}
                """
            let error = await #expect(throws: DomainError.self) {
                try await app.database.withConnection { conn in
                    for try await _ in try await conn.query("""
                        SELECT created FROM rp_place_order(\(caller.keyId), 'stale', '\\x00'::bytea, \(payload)::jsonb, '\\x7b7d'::bytea)
                        """, logger: app.database.logger) {}
                }
            }
            #expect(String(describing: error).contains("RPSTK"), "\(String(describing: error))")
            #expect(try await app.count("orders") == 0)
            #expect(try await app.count("idempotency_keys") == 0)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 0)
        }
    }

    /// Intake that always locks the stock rows before reading (the path taken after
    /// repeated races) under concurrency: exactly the stock is reserved, the rest is
    /// backordered, and the books balance.
    @Test func lockedPathNeverOversells() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 30), ("WH-B", "APPLE", 20)])
            let caller = try await Self.adminCaller(app)
            var service = OrderService(database: app.database)
            service.optimisticAttempts = 0
            let locked = service
            let statuses = try await withThrowingTaskGroup(of: [String].self) { group in
                for client in 0..<16 {
                    group.addTask {
                        var seen: [String] = []
                        for attempt in 0..<10 {
                            let request = OrderRequest(
                                merchant: "M1", channel: "online", recipient: .init(name: "Wang Fang", phone: "13800001234"),
                                delivery: .init(mode: "pickup", pickupPoint: "PP1"), lines: [.init(sku: "APPLE", qty: 1)])
                            let response = try await locked.submit(request, idempotencyKey: "locked-\(client)-\(attempt)", caller: caller)
                            let json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
                            seen.append(json?["status"] as? String ?? "?")
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            let counts = statuses.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            #expect(counts == ["accepted": 50, "backordered": 110], "\(counts)")
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 50)
            let check = try await InventoryCheck(database: app.database).run()
            #expect(check.problems.isEmpty, "\(check.problems)")
        }
    }
}
