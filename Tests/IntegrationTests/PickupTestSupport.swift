import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Logistics
import NIOCore
import Persistence
import RuralPostCore
import Testing

extension TestApp {
    /// Like `run`, with the server built from `config` and logging to `logger`.
    static func run(config: AppConfig, logger: Logger = TestCluster.logger,
                    _ body: @Sendable (TestApp) async throws -> Void) async throws {
        let settings = try await TestCluster.freshDatabase()
        var config = config
        config.host = "127.0.0.1"
        config.port = 0
        let built = try buildApplication(settings: settings, config: config, logger: logger)
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 4) { database in
            let (_, admin) = try await APIKeyStore(database: database).create(role: .admin, name: "test admin", scopes: [])
            try await built.application.test(.live) { client in
                try await body(TestApp(client: client, database: database, settings: settings, admin: admin, routes: built.routes))
            }
        }
    }
}

/// Server settings for pickup tests: fast delivery polling and retries; maintenance
/// is driven by the tests themselves.
enum PickupConfig {
    static func fast(maxAttempts: Int = 3) -> AppConfig {
        var config = AppConfig(host: "127.0.0.1", port: 0)
        config.workers.pollInterval = .milliseconds(50)
        config.workers.backoffBase = .milliseconds(100)
        config.workers.backoffCap = .milliseconds(400)
        config.workers.maxAttempts = maxAttempts
        config.workers.requestTimeout = .seconds(3)
        config.workers.lease = .seconds(5)
        config.workers.maintenanceEnabled = false
        return config
    }
}

/// A local webhook receiver (a small Hummingbird app on 127.0.0.1, port 0) that checks
/// every delivery's signature and can fail on purpose.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let body: Data
        let event: String?
        let deliveryId: String?
        let signatureValid: Bool
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var code: String? { json["code"] as? String }
        var trackingNos: [String] { (json["parcels"] as? [[String: Any]] ?? []).compactMap { $0["trackingNo"] as? String } }
    }

    actor State {
        var deliveries: [Delivery] = []
        var requests = 0
        var failNext = 0
        var alwaysFail = false
        func record(_ delivery: Delivery) -> Bool {
            requests += 1
            if alwaysFail { return false }
            if failNext > 0 {
                failNext -= 1
                return false
            }
            deliveries.append(delivery)
            return true
        }
        func set(failNext: Int? = nil, alwaysFail: Bool? = nil) {
            if let failNext { self.failNext = failNext }
            if let alwaysFail { self.alwaysFail = alwaysFail }
        }
    }

    let secret: String
    let state = State()

    init(secret: String) {
        self.secret = secret
    }

    /// Runs `body` with the receiver listening; passes its URL.
    static func run(secret: String = "whsec-test-\(UInt32.random(in: 0...UInt32.max))",
                    _ body: @Sendable (WebhookReceiver, String) async throws -> Void) async throws {
        let receiver = WebhookReceiver(secret: secret)
        let router = Router()
        router.post("hook") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let data = Data(buffer.readableBytesView)
            let timestamp = request.headers[HTTPField.Name(WebhookSignature.timestampHeader)!] ?? ""
            let signature = request.headers[HTTPField.Name(WebhookSignature.signatureHeader)!] ?? ""
            let valid = WebhookSignature.verify(body: data, timestamp: timestamp, signature: signature, secret: receiver.secret)
                && Self.independentlyValid(body: data, timestamp: timestamp, signature: signature, secret: receiver.secret)
            let delivery = Delivery(body: data, event: request.headers[HTTPField.Name("X-RuralPost-Event")!],
                                    deliveryId: request.headers[HTTPField.Name("X-RuralPost-Delivery")!], signatureValid: valid)
            guard valid else { return Response(status: .unauthorized) }
            return Response(status: await receiver.state.record(delivery) ? .ok : .internalServerError)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestCluster.logger)
        try await app.test(.live) { client in
            try await body(receiver, "http://127.0.0.1:\(client.port ?? 0)/hook")
        }
    }

    /// A second, independent check of the header format: `sha256=` and 64 hex digits,
    /// timestamp within five minutes.
    static func independentlyValid(body: Data, timestamp: String, signature: String, secret: String) -> Bool {
        guard let ts = Int64(timestamp), abs(Int64(Date().timeIntervalSince1970) - ts) < 300 else { return false }
        return signature.hasPrefix("sha256=") && signature.count == 7 + 64
            && signature.dropFirst(7).allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// Waits until `count` deliveries (optionally of one event) arrived; returns them.
    func wait(for count: Int, event: String? = nil, timeout: Duration = .seconds(20)) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let all = await state.deliveries.filter { event == nil || $0.event == event }
            if all.count >= count || ContinuousClock.now > deadline { return all }
            try await Task.sleep(for: .milliseconds(30))
        }
    }
}

/// Two service centres with one pickup point each, a depot, and a scoped key per centre.
struct PickupWorld {
    let app: TestApp
    let depot: Int64
    let centreA: Int64, centreB: Int64
    let pointA: Int64, pointB: Int64
    let keyA: String, keyB: String

    static func make(_ app: TestApp, webhookURL: String? = nil, secret: String? = nil, capacity: Int = 50,
                     holdDays: Int = 3, extensionDays: Int = 2) async throws -> PickupWorld {
        let depot = try await app.send(.post, "/v1/depots", key: app.admin, json: ["code": "D1", "name": "County depot", "lat": 30.0, "lon": 118.0]).id
        func centre(_ code: String) async throws -> Int64 {
            var body: [String: Any] = ["code": code, "name": "Centre \(code)"]
            if let webhookURL { body["webhookUrl"] = webhookURL }
            if let secret { body["webhookSecret"] = secret }
            let reply = try await app.send(.post, "/v1/service-centres", key: app.admin, json: body)
            #expect(reply.status == 201)
            return reply.id
        }
        let centreA = try await centre("SC-A"), centreB = try await centre("SC-B")
        func point(_ code: String, _ centre: Int64) async throws -> Int64 {
            let reply = try await app.send(.post, "/v1/pickup-points", key: app.admin, json: [
                "code": code, "name": "Point \(code)", "kind": "village_station", "lat": 30.1, "lon": 118.1,
                "serviceCentreId": centre, "depotId": depot, "openingHours": ["mon": [["08:00", "18:00"]]],
                "slotCapacity": capacity, "holdDays": holdDays, "extensionDays": extensionDays,
            ])
            #expect(reply.status == 201)
            return reply.id
        }
        let pointA = try await point("PP-A", centreA), pointB = try await point("PP-B", centreB)
        return PickupWorld(app: app, depot: depot, centreA: centreA, centreB: centreB, pointA: pointA, pointB: pointB,
                           keyA: try await app.key(.serviceCentre, [(.serviceCentre, "SC-A")]),
                           keyB: try await app.key(.serviceCentre, [(.serviceCentre, "SC-B")]))
    }

    /// Another carrier's parcel for the arrivals body.
    static func foreign(_ tracking: String, phone: String = "13800138000", carrier: String = "sf-express") -> [String: Any] {
        ["trackingNo": tracking, "carrier": carrier, "recipientPhone": phone, "recipientName": "Villager", "grams": 1200]
    }

    @discardableResult
    func arrive(_ parcels: [[String: Any]], at point: Int64? = nil, key: String? = nil) async throws -> Reply {
        try await app.send(.post, "/v1/pickup-points/\(point ?? pointA)/arrivals", key: key ?? keyA, json: ["parcels": parcels])
    }

    func collect(code: String, last4: String, at point: Int64? = nil, key: String? = nil) async throws -> Reply {
        try await app.send(.post, "/v1/pickup-points/\(point ?? pointA)/collect", key: key ?? keyA,
                           json: ["code": code, "phoneLast4": last4, "collectedBy": "recipient"])
    }

    func counter(_ point: Int64? = nil) async throws -> [String: Any] {
        try await app.send(.get, "/v1/pickup-points/\(point ?? pointA)/counter", key: keyA).json
    }

    /// An order to point A, walked to `out_for_delivery`; returns (shipment id, tracking no, warehouse id).
    func orderOutForDelivery(phone: String = "13912345678", qty: Int = 2) async throws -> (Int64, String, Int64) {
        let warehouse = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-1", lat: 30.0, lon: 118.0)).id
        let merchant = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
        #expect(try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("TEA", merchantId: merchant)).status == 201)
        #expect(try await app.send(.post, "/v1/warehouses/\(warehouse)/inventory/receive", key: app.admin,
                                   json: ["sku": "TEA", "qty": 10, "reason": "inbound"]).status == 200)
        #expect(try await app.send(.post, "/v1/tariffs", key: app.admin, json: [
            "code": "T1", "name": "Standard", "handlingFen": 100, "parcelMaxGrams": 20000, "isDefault": true,
            "zones": [["maxKm": 5000, "firstKgFen": 600, "additionalKgFen": 200]],
        ]).status == 201)
        let order = try await app.send(.post, "/v1/orders", key: app.admin, json: [
            "merchant": "M1", "channel": "online", "recipient": ["name": "Wang Fang", "phone": phone],
            "delivery": ["mode": "pickup", "pickupPoint": "PP-A"], "lines": [["sku": "TEA", "qty": qty]],
        ], headers: [HTTPField.Name("Idempotency-Key")!: "order-1"])
        #expect(order.status == 201, "\(order.text)")
        let shipment = (order.json["shipments"] as? [[String: Any]])?.first ?? [:]
        let id = (shipment["id"] as? NSNumber)?.int64Value ?? -1
        for status in ["picked", "packed", "dispatched", "at_depot", "out_for_delivery"] {
            let reply = try await app.send(.post, "/v1/shipments/\(id)/status", key: app.admin, json: ["status": status])
            #expect(reply.status == 200, "\(status): \(reply.text)")
        }
        return (id, shipment["trackingNo"] as? String ?? "", warehouse)
    }

    /// `on_hand` of TEA at `warehouse`.
    func onHand(_ warehouse: Int64) async throws -> Int64 {
        let rows = try await app.database.query(
            "SELECT i.on_hand FROM inventory i JOIN skus s ON s.id = i.sku_id WHERE i.warehouse_id = \(warehouse) AND s.code = 'TEA'")
        for try await value in rows.decode(Int64.self) { return value }
        return -1
    }

    /// Moves every waiting pickup's deadline into the past (time travel for expiry tests).
    func endHolds() async throws {
        try await app.database.query("UPDATE pickups SET hold_until = now() - interval '1 minute' WHERE status = 'waiting'")
    }

    func service() -> PickupService {
        PickupService(database: app.database, secrets: PickupSecrets(database: app.database))
    }
}

extension Reply {
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
}
