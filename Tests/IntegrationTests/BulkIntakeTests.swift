import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Bulk order intake: the NDJSON endpoint and `ruralpost import orders`. Each order is
/// submitted on its own under its own key, so a bad one never stops the others and a
/// whole file or batch can be sent again safely.
@Suite struct BulkIntakeTests {
    static func line(_ key: String, _ lines: [(String, Int64)]) throws -> String {
        let item: [String: Any] = ["idempotencyKey": key, "order": OrderFixture.order(lines)]
        return String(decoding: try JSONSerialization.data(withJSONObject: item), as: UTF8.self)
    }

    @Test func ndjsonBatchAnswersEveryLine() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 10)])
            let body = [
                try Self.line("b1", [("APPLE", 2)]),
                "{not json",
                try Self.line("b3", [("APPLE", 0)]),
                "",
                try Self.line("b1", [("APPLE", 2)]),
                try Self.line("b5", [("NOPE", 1)]),
            ].joined(separator: "\n")
            let reply = try await app.send(.post, "/v1/orders/batch", key: app.admin, body: body, contentType: "application/x-ndjson")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["created"] as? Int == 1)
            #expect(reply.json["replayed"] as? Int == 1)
            #expect(reply.json["failed"] as? Int == 3)
            let results = reply.json["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["line"] as? Int ?? 0 } == [1, 2, 3, 5, 6])
            #expect(results.map { $0["status"] as? Int ?? 0 } == [201, 400, 422, 201, 422])
            func field(_ i: Int) -> String? { (results[i]["error"] as? [String: Any])?["field"] as? String }
            #expect(field(2) == "lines[0].qty")
            #expect(field(4) == "lines[0].sku")
            // Lines 1 and 5 share a key and body: one order, the same answer twice.
            #expect((results[0]["order"] as? [String: Any])?["id"] as? Int == (results[3]["order"] as? [String: Any])?["id"] as? Int)
            #expect(try await app.count("orders") == 1)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 2)

            let wrongType = try await app.send(.post, "/v1/orders/batch", key: app.admin, body: body)
            #expect(wrongType.status == 415)
            #expect(try await app.count("orders") == 1)
        }
    }

    @Test func csvImportIsPerOrderAndIdempotent() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 10), ("WH-A", "TEA", 5)])
            let url = TestCluster.databaseURL(of: app)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            chmod(folder.path, 0o755)
            func write(_ name: String, _ rows: [String]) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                chmod(path, 0o644)
                return path
            }
            func importOrders(_ path: String) throws -> String {
                try Subprocess.run("/usr/bin/env", ["DATABASE_URL=\(url)", CrashRecoveryTests.binary, "import", "orders", path,
                                                    "--log-level", "error"])
            }
            let header = "key,merchant,channel,recipient_name,recipient_phone,pickup_point,sku,qty"
            let good = try write("good.csv", [
                header,
                "k1,M1,online,Wang Fang,13800001234,PP1,APPLE,2",
                "k1,M1,online,Wang Fang,13800001234,PP1,TEA,1",
                "k2,M1,counter,Li Lei,13900001111,PP1,APPLE,3",
            ])
            #expect(try importOrders(good).contains("orders: 2 created, 0 already imported, 0 failed"))
            #expect(try await app.count("orders") == 2)
            #expect(try await app.count("order_lines") == 3)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 5)
            // The same file again changes nothing.
            #expect(try importOrders(good).contains("orders: 0 created, 2 already imported, 0 failed"))
            #expect(try await app.count("orders") == 2)

            // A malformed row rejects the file before any order is submitted.
            let bad = try write("bad.csv", [header, "k3,M1,online,Wang Fang,13800001234,PP1,APPLE,2", "k4,M1,online,Li Lei,13900001111,PP1,APPLE,x"])
            let failure = #expect(throws: Subprocess.Failure.self) { try importOrders(bad) }
            #expect(failure?.description.contains("line 3") == true, "\(failure?.description ?? "")")
            #expect(try await app.count("orders") == 2)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 5)
        }
    }
}
