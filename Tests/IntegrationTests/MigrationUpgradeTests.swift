import Foundation
import Hummingbird
import Logistics
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// A database made by the migrations before 0008, holding what users wrote then, takes
/// 0008 and the server works on it: the stored intake response still replays, tariffs and
/// master data read back, and the dropped columns and the regions table are gone.
@Suite struct MigrationUpgradeTests {
    /// The migrations below `version`, copied to a folder of their own.
    static func migrations(below version: Int) throws -> URL {
        let fm = FileManager.default
        let source = try ProjectFiles.directory("sql")
        let folder = fm.temporaryDirectory.appendingPathComponent("sql-below-\(version)-\(UUID().uuidString)")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in try fm.contentsOfDirectory(atPath: source.path) where file.hasSuffix(".sql") {
            if let number = Int(file.prefix { $0 != "_" }), number < version {
                try fm.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
        }
        return folder
    }

    static var orderBody: [String: Any] { [
        "merchant": "M1", "channel": "online", "recipient": ["name": "Wang Fang", "phone": "13800001234"],
        "delivery": ["mode": "pickup", "pickupPoint": "PP1"], "lines": [["sku": "APPLE", "qty": 2]],
    ] }

    @Test func aDatabaseAt0007MigratesAndKeepsWorking() async throws {
        let settings = try await TestCluster.emptyDatabase()
        let old = try Self.migrations(below: 8)
        defer { try? FileManager.default.removeItem(at: old) }
        // What intake had stored before the upgrade: the response and the hash of the
        // request's canonical JSON, under the key of an API key that also survives.
        let storedBody = #"{"id":41,"note":"stored before 0008"}"#
        let secret: String = try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { db in
            let applied = try await MigrationRunner(database: db, directory: old).migrate()
            #expect(applied.contains { $0.hasPrefix("0007") } && !applied.contains { $0.hasPrefix("0008") })
            let (caller, secret) = try await APIKeyStore(database: db).create(role: .admin, name: "before 0008", scopes: [])
            let request = try JSONDecoder().decode(OrderRequest.self, from: JSONSerialization.data(withJSONObject: Self.orderBody))
            let canonical = try OrderView.encoder.encode(request)
            try await db.query("""
                INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, response_status, response_body)
                VALUES (\(caller.keyId), 'before-upgrade', sha256(\(ByteBuffer(data: canonical))), 'done', 201,
                        convert_to(\(storedBody), 'UTF8'))
                """)
            try await db.query("""
                INSERT INTO tariffs (code, name, handling_fen, parcel_max_grams, heavy_threshold_grams, is_default)
                VALUES ('OLD', 'Old tariff', 100, 30000, 20000, true)
                """)
            try await db.query("""
                INSERT INTO warehouses (code, name, kind, lat, lon, region_id, daily_capacity)
                VALUES ('WH-OLD', 'Old warehouse', 'micro', 30, 110, NULL, 100)
                """)
            return secret
        }

        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { db in
            let applied = try await MigrationRunner(database: db).migrate()
            #expect(applied.contains { $0.hasPrefix("0008") })
            for (table, column) in [("idempotency_keys", "status"), ("idempotency_keys", "response_status"),
                                    ("warehouses", "region_id"), ("depots", "region_id"), ("service_centres", "region_id"),
                                    ("pickup_points", "region_id")] {
                #expect(try await Self.hasColumn(table, column, db) == false, "\(table).\(column)")
            }
            var regions = true
            for try await exists in try await db.query("SELECT to_regclass('regions') IS NOT NULL").decode(Bool.self) { regions = exists }
            #expect(!regions)
        }

        try await TestApp.run(on: settings) { app in
            // The old key still authenticates, and its stored response replays byte for byte.
            let replay = try await app.send(.post, "/v1/orders", key: secret, json: Self.orderBody,
                                            headers: [.init("Idempotency-Key")!: "before-upgrade"])
            #expect(replay.status == 201, "\(replay.text)")
            #expect(replay.text == storedBody)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            let tariffs = try await app.send(.get, "/v1/tariffs", key: app.admin)
            let items = tariffs.json["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["code"] as? String } == ["OLD"])
            #expect(items.first?["heavyThresholdGrams"] as? Int == 20000)
            #expect(items.first?["heavySurchargeFen"] as? Int == 0)
            let warehouses = try await app.send(.get, "/v1/warehouses", key: app.admin)
            #expect((warehouses.json["items"] as? [[String: Any]])?.first?["code"] as? String == "WH-OLD")
            #expect(warehouses.text.contains("regionId") == false)
        }
    }

    static func hasColumn(_ table: String, _ column: String, _ db: Database) async throws -> Bool {
        for try await n in try await db.query("""
            SELECT count(*)::bigint FROM information_schema.columns WHERE table_name = \(table) AND column_name = \(column)
            """).decode(Int64.self) { return n > 0 }
        return false
    }
}
