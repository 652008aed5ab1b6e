import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

@Suite struct MasterDataTests {
    @Test func createReadUpdateList() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let created = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A"))
            #expect(created.status == 201)
            #expect(created.headers[.location] == "/v1/warehouses/\(created.id)")
            #expect(created.json["coldChain"] as? Bool == false)
            #expect(created.json["cutoffTime"] as? String == "16:00")

            let patched = try await app.send(.patch, "/v1/warehouses/\(created.id)", key: app.admin, json: ["dailyCapacity": 800, "coldChain": true])
            #expect(patched.status == 200)
            #expect(patched.json["dailyCapacity"] as? Int == 800)
            #expect(patched.json["name"] as? String == "Warehouse WH-A")

            let read = try await app.send(.get, "/v1/warehouses/\(created.id)", key: app.admin)
            #expect(read.json["coldChain"] as? Bool == true)
        }
    }

    @Test func listsPageWithOpaqueCursorAndBoundedLimit() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let merchant = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
            for i in 1...7 {
                #expect(try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("S\(i)", merchantId: merchant)).status == 201)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/skus?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await app.send(.get, path, key: app.admin)
                #expect(page.status == 200)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == (1...7).map { "S\($0)" })
            #expect(try await app.send(.get, "/v1/skus?limit=0", key: app.admin).errorField == "limit")
            #expect(try await app.send(.get, "/v1/skus?limit=100000", key: app.admin).errorField == "limit")
            #expect(try await app.send(.get, "/v1/skus?cursor=garbage!", key: app.admin).errorField == "cursor")
        }
    }

    @Test func inventoryMovementsAreLedgered() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let wh = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A")).id
            let merchant = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
            _ = try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("RICE", merchantId: merchant))
            let received = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/receive", key: app.admin,
                                              json: ["sku": "RICE", "qty": 40, "reason": "inbound truck"])
            #expect(received.json["onHand"] as? Int == 40)
            let adjusted = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/adjust", key: app.admin,
                                              json: ["sku": "RICE", "delta": -3, "reason": "damaged"])
            #expect(adjusted.json["onHand"] as? Int == 37)
            let tooMuch = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/adjust", key: app.admin,
                                             json: ["sku": "RICE", "delta": -100, "reason": "count"])
            #expect(tooMuch.status == 409)
            let noReason = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/receive", key: app.admin,
                                              json: ["sku": "RICE", "qty": 1, "reason": ""])
            #expect(noReason.errorField == "reason")
            let unknownSku = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/receive", key: app.admin,
                                                json: ["sku": "NOPE", "qty": 1, "reason": "x"])
            #expect(unknownSku.errorField == "sku")

            let rows = try await app.database.query("""
                SELECT i.on_hand, (SELECT sum(delta_on_hand)::bigint FROM inventory_movements m
                                   WHERE m.warehouse_id = i.warehouse_id AND m.sku_id = i.sku_id)
                FROM inventory i
                """)
            for try await (onHand, ledger) in rows.decode((Int64, Int64).self) {
                #expect(onHand == 37)
                #expect(ledger == 37)
            }
            let levels = try await app.send(.get, "/v1/warehouses/\(wh)/inventory", key: app.admin)
            let item = (levels.json["items"] as? [[String: Any]])?.first
            #expect(item?["available"] as? Int == 37)
        }
    }

    @Test func ledgerIsAppendOnly() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let wh = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A")).id
            let merchant = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
            _ = try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("RICE", merchantId: merchant))
            _ = try await app.send(.post, "/v1/warehouses/\(wh)/inventory/receive", key: app.admin, json: ["sku": "RICE", "qty": 4, "reason": "in"])
            await #expect(throws: DomainError.self) {
                try await app.database.query("UPDATE inventory_movements SET delta_on_hand = 400")
            }
            await #expect(throws: DomainError.self) {
                try await app.database.query("UPDATE inventory SET reserved = on_hand + 1")
            }
        }
    }

    @Test func secretsAreWriteOnly() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            var merchant = Samples.merchant("M1")
            merchant["webhookUrl"] = "https://example.invalid/hook"
            merchant["webhookSecret"] = "s3cret"
            let created = try await app.send(.post, "/v1/merchants", key: app.admin, json: merchant)
            #expect(created.json["webhookSecret"] as? String == "***")
            #expect(!created.text.contains("s3cret"))
        }
    }
}

@Suite struct SystemRouteTests {
    @Test func healthReadyMetricsAndOpenAPIAreServed() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            #expect(try await app.send(.get, "/healthz").status == 200)
            #expect(try await app.send(.get, "/readyz").json["status"] as? String == "ready")
            _ = try await app.send(.get, "/v1/warehouses", key: app.admin)
            let metrics = try await app.send(.get, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("hb_requests"))
            let doc = try await app.send(.get, "/openapi.yaml")
            #expect(doc.text.hasPrefix("openapi: 3.1"))
        }
    }

    /// The request metrics count the status the client got: a refused request is its 4xx,
    /// not a 500 (an alert on the 5xx share must not fire on bad input). The admission
    /// gate's gauges are there for an operator to see load and queueing.
    @Test func metricsCountTheStatusTheClientGot() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let refused = try await app.send(.post, "/v1/tariffs", key: app.admin, json: ["code": "T-BAD"])
            #expect(refused.status == 422)
            let missing = try await app.send(.get, "/v1/tariffs/999999999", key: app.admin)
            #expect(missing.status == 404)
            let metrics = try await app.send(.get, "/metrics").text
            let lines = metrics.split(separator: "\n").filter { $0.hasPrefix("hb_requests{") && $0.contains("/v1/tariffs") }
            #expect(lines.contains { $0.contains("http_request_method=\"POST\"") && $0.contains("status_code=\"422\"") }, "\(lines)")
            #expect(lines.contains { $0.contains("/v1/tariffs/{id}") && $0.contains("status_code=\"404\"") }, "\(lines)")
            #expect(!lines.contains { $0.contains("status_code=\"500\"") }, "\(lines)")
            for name in ["ruralpost_requests_running", "ruralpost_requests_waiting", "ruralpost_database_up"] {
                #expect(metrics.contains(name), "\(name) missing from /metrics")
            }
        }
    }

    /// Every served route is described in docs/openapi.yaml.
    @Test func openAPIDocumentDescribesEveryRoute() async throws {
        let text = try String(contentsOf: ProjectFiles.directory("docs").appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let documented = OpenAPIPaths.parse(text)
        try await TestApp.run { (app: TestApp) async throws in
            #expect(app.routes.count > 20)
            for route in app.routes {
                #expect(documented[route.path]?.contains(route.method.lowercased()) == true,
                        "\(route.method) \(route.path) is missing from docs/openapi.yaml")
            }
        }
    }
}

/// Reads `paths:` of an OpenAPI YAML document: path -> methods (two-space indentation).
enum OpenAPIPaths {
    static func parse(_ yaml: String) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            guard inPaths else { continue }
            if let first = line.first, first != " ", first != "#" { inPaths = false; continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if indent == 2, trimmed.hasPrefix("/") || trimmed.hasPrefix("'/") || trimmed.hasPrefix("\"/") {
                current = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: ":'\""))
                result[current!] = []
            } else if indent == 4, let current, methods.contains(String(trimmed.dropLast())) && trimmed.hasSuffix(":") {
                result[current]?.insert(String(trimmed.dropLast()))
            }
        }
        return result
    }
}

@Suite struct MigrationTests {
    @Test func rerunningMigrationsIsANoOp() async throws {
        let settings = try await TestCluster.freshDatabase()
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { db in
            let runner = try MigrationRunner(database: db)
            #expect(try await runner.migrate().isEmpty)
            let rows = try await db.query("SELECT count(*)::bigint FROM schema_migrations")
            for try await n in rows.decode(Int64.self) { #expect(Int(n) == (try runner.migrations().count)) }
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        let settings = try await TestCluster.freshDatabase()
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { db in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let original = try String(contentsOf: ProjectFiles.directory("sql").appendingPathComponent("0001_domain.sql"), encoding: .utf8)
            try (original + "\n-- edited\n").write(to: dir.appendingPathComponent("0001_domain.sql"), atomically: true, encoding: .utf8)
            await #expect(throws: DomainError.self) { try await MigrationRunner(database: db, directory: dir).migrate() }
        }
    }
}
