import AsyncHTTPClient
import Foundation
import Logistics
import NIOCore
import NIOFoundationCompat
import Persistence
import RuralPostCore

/// A small county for order tests: two warehouses, one merchant with SKUs, a depot,
/// a service centre, a pickup point, and the default tariff.
struct OrderFixture {
    let warehouseA: Int64
    let warehouseB: Int64
    let merchant: Int64

    static var tariff: [String: Any] { [
        "code": "STD", "name": "Standard", "handlingFen": 100, "parcelMaxGrams": 20_000, "isDefault": true,
        "zones": [["maxKm": 50, "firstKgFen": 600, "additionalKgFen": 150], ["maxKm": 500, "firstKgFen": 1000, "additionalKgFen": 400]],
    ] }

    static func setUp(_ app: TestApp, stock: [(warehouse: String, sku: String, qty: Int64)] = []) async throws -> OrderFixture {
        let a = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A", lat: 30.00, lon: 110.00)).id
        let b = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-B", lat: 30.50, lon: 110.50)).id
        let m = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
        let other = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M2")).id
        for (code, grams) in [("APPLE", 2500), ("RICE", 5000), ("TEA", 300)] {
            _ = try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku(code, merchantId: m, grams: Int64(grams)))
        }
        _ = try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("FOREIGN", merchantId: other))
        _ = try await app.send(.post, "/v1/tariffs", key: app.admin, json: tariff)
        let depot = try await app.send(.post, "/v1/depots", key: app.admin, json: ["code": "D1", "name": "Depot", "lat": 30.1, "lon": 110.1]).id
        let centre = try await app.send(.post, "/v1/service-centres", key: app.admin, json: ["code": "SC1", "name": "Centre"]).id
        let point = try await app.send(.post, "/v1/pickup-points", key: app.admin, json: [
            "code": "PP1", "name": "Village station", "kind": "village_station", "lat": 30.2, "lon": 110.2,
            "serviceCentreId": centre, "depotId": depot, "openingHours": ["mon": [["08:00", "18:00"]]],
            "slotCapacity": 50, "holdDays": 5,
        ])
        precondition(point.status == 201, point.text)
        for row in stock {
            let id = row.warehouse == "WH-A" ? a : b
            let r = try await app.send(.post, "/v1/warehouses/\(id)/inventory/receive", key: app.admin,
                                       json: ["sku": row.sku, "qty": row.qty, "reason": "test stock"])
            precondition(r.status == 200, r.text)
        }
        return OrderFixture(warehouseA: a, warehouseB: b, merchant: m)
    }

    /// An order body for the pickup point.
    static func order(_ lines: [(String, Int64)], allowPartial: Bool? = nil, merchant: String = "M1") -> [String: Any] {
        var body: [String: Any] = [
            "merchant": merchant, "channel": "online",
            "recipient": ["name": "Wang Fang", "phone": "13800001234"],
            "delivery": ["mode": "pickup", "pickupPoint": "PP1"],
            "lines": lines.map { ["sku": $0.0, "qty": $0.1] },
        ]
        if let allowPartial { body["allowPartial"] = allowPartial }
        return body
    }

    /// Sums that must hold after any sequence of intakes.
    static func reserved(_ app: TestApp, sku: String) async throws -> Int64 {
        let rows = try await app.database.query("""
            SELECT coalesce(sum(i.reserved), 0)::bigint FROM inventory i JOIN skus s ON s.id = i.sku_id WHERE s.code = \(sku)
            """)
        for try await n in rows.decode(Int64.self) { return n }
        return 0
    }
}

/// A pooled HTTP client for concurrent load against the live test server.
struct LoadClient {
    let http: HTTPClient
    let base: String
    let key: String

    static func with<T>(port: Int, key: String, connections: Int = 64, _ body: (LoadClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        configuration.timeout.read = .seconds(60)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(LoadClient(http: http, base: "http://127.0.0.1:\(port)", key: key))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// POSTs an order; returns status and body.
    func submit(_ body: [String: Any], idempotencyKey: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: base + "/v1/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }
}
