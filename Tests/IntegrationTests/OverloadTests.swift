import API
import AsyncHTTPClient
import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// 500 clients at once against a server with a 2-connection pool: what the pool cannot
/// serve waits in the bounded queue, then gets `503 overloaded` with `Retry-After`;
/// latency stays bounded instead of growing with the crowd, and no other 5xx appears.
@Suite(SoloRun.trait) struct OverloadTests {
    @Test func fiveHundredClientsAgainstASmallPool() async throws {
        let settings = try await TestCluster.freshDatabase()
        var config = AppConfig(host: "127.0.0.1", port: 0)
        config.databaseConnections = 2
        config.requestQueueLimit = 8
        config.requestQueueWait = .seconds(1)
        config.workers.deliveryEnabled = false
        config.workers.maintenanceEnabled = false
        config.workers.planningEnabled = false
        let built = try buildApplication(settings: settings, config: config, logger: TestCluster.logger)
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { database in
            let (_, admin) = try await APIKeyStore(database: database).create(role: .admin, name: "overload test", scopes: [])
            try await built.application.test(.live) { client in
                let app = TestApp(client: client, database: database, settings: settings, admin: admin, routes: built.routes)
                _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 1_000_000), ("WH-B", "APPLE", 1_000_000)])
                let port = try #require(client.port)
                let results = try await LoadClient.with(port: port, key: admin, connections: 500) { load in
                    try await withThrowingTaskGroup(of: (Int?, String?, String?, Double).self) { group in
                        for n in 0..<500 {
                            group.addTask {
                                let started = ContinuousClock.now
                                var body = OrderFixture.order([("RICE", 1), ("APPLE", 1)])
                                body["externalRef"] = "crowd-\(n)"
                                guard let (status, data, retryAfter) = try? await load.submitWithHeaders(body, idempotencyKey: "crowd-\(n)") else {
                                    return (nil, nil, nil, DatabaseOutageTests.seconds(ContinuousClock.now - started))
                                }
                                let code = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])
                                    .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
                                return (status, code, retryAfter, DatabaseOutageTests.seconds(ContinuousClock.now - started))
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                let latencies = results.map(\.3).sorted()
                let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
                let accepted = results.filter { $0.0 == 201 }.count
                let turnedAway = results.filter { $0.0 == 503 }
                print("overload: 500 clients, pool 2: \(accepted) created, \(turnedAway.count) 503 overloaded, p50 \(latencies[latencies.count / 2]) s, p99 \(p99) s, max \(latencies.last ?? 0) s")
                #expect(results.allSatisfy { $0.0 != nil }, "every client gets an answer")
                #expect(results.allSatisfy { $0.0 == 201 || $0.0 == 503 }, "\(Set(results.map { $0.0 ?? 0 }))")
                #expect(turnedAway.allSatisfy { $0.1 == "overloaded" && $0.2 == "1" })
                #expect(accepted >= 2 && !turnedAway.isEmpty)
                // Bounded: the queue wait (1 s) plus the orders ahead in a queue of 8 on 2
                // connections, with room for a loaded machine.
                #expect(p99 < 5.0, "p99 \(p99) s")
                // What was turned away left nothing behind; what was accepted is there once.
                let created = try await app.count("orders")
                #expect(created == accepted)
            }
        }
    }
}
