import AsyncHTTPClient
import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Kills a real `ruralpost serve` process with SIGKILL in the middle of order intake
/// and checks that nothing acknowledged was lost and nothing half-written remains.
@Suite struct CrashRecoveryTests {
    /// The `ruralpost` binary built next to the test bundle.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("ruralpost").path
    }

    struct Server {
        let pid: pid_t
        let port: Int

        static func start(databaseURL: String, port: Int, log: String) throws -> Server {
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = databaseURL
            let pid = try Subprocess.spawn(CrashRecoveryTests.binary, ["serve", "--port", "\(port)", "--log-level", "warning"],
                                           environment: environment, outputPath: log)
            return Server(pid: pid, port: port)
        }

        func waitUntilHealthy(_ http: HTTPClient) async throws {
            for _ in 0..<300 {
                if let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
                   response.status == .ok { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw DomainError.internalError("server on port \(port) never became healthy")
        }

        func stop(signal: Int32) {
            kill(pid, signal)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// Acknowledged orders so far, shared by the load workers and the killer.
    actor Progress {
        private(set) var acknowledged = 0
        func acknowledge() { acknowledged += 1 }
    }

    static var order: [String: Any] { OrderFixture.order([("RICE", 1), ("APPLE", 2), ("TEA", 1)]) }

    @Test func killedServerLosesNothingAcknowledged() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build the ruralpost product first")
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 100_000), ("WH-B", "APPLE", 100_000), ("WH-A", "TEA", 100_000)])
            let url = TestCluster.databaseURL(of: app)
            let port = try EmbeddedPostgres.freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(port).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            let first = try Server.start(databaseURL: url, port: port, log: log)

            let progress = Progress()
            let (acknowledged, unacknowledged) = try await LoadClient.with(port: port, key: app.admin, connections: 16) { client in
                try await first.waitUntilHealthy(client.http)
                // Kill once enough orders are acknowledged (a count, not a time, so a
                // slow or loaded machine still kills mid-load), or after 60 s at most.
                let killer = Task {
                    for _ in 0..<600 where await progress.acknowledged < 40 {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    first.stop(signal: SIGKILL)
                }
                let results = try await withThrowingTaskGroup(of: ([String: Int64], [String]).self) { group in
                    for worker in 0..<16 {
                        group.addTask {
                            var acked: [String: Int64] = [:], lost: [String] = []
                            for i in 0..<2000 {
                                let key = "w\(worker)-\(i)"
                                do {
                                    let (status, body) = try await client.submit(Self.order, idempotencyKey: key)
                                    let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                                    if status == 201, let id = (json?["id"] as? NSNumber)?.int64Value {
                                        acked[key] = id
                                        await progress.acknowledge()
                                    } else {
                                        lost.append(key)
                                    }
                                } catch {
                                    lost.append(key)
                                    break  // the server is gone; this worker stops
                                }
                            }
                            return (acked, lost)
                        }
                    }
                    return try await group.reduce(into: ([String: Int64](), [String]())) { $0.0.merge($1.0) { a, _ in a }; $0.1 += $1.1 }
                }
                _ = try await killer.value
                return results
            }
            #expect(acknowledged.count >= 40, "the load generator should get orders through before the kill")

            // Every acknowledged order is in the database.
            let ids = Array(acknowledged.values)
            var found = 0
            for try await n in try await app.database.query("SELECT count(*)::bigint FROM orders WHERE id = ANY(\(ids))").decode(Int64.self) {
                found = Int(n)
            }
            #expect(found == acknowledged.count)

            // Restart; retries of the unacknowledged keys resolve to exactly one order each.
            let server = try Server.start(databaseURL: url, port: port, log: log)
            defer { server.stop(signal: SIGTERM) }
            try await LoadClient.with(port: port, key: app.admin, connections: 8) { client in
                try await server.waitUntilHealthy(client.http)
                for key in unacknowledged {
                    let (status, _) = try await client.submit(Self.order, idempotencyKey: key)
                    #expect(status == 201)
                }
                for key in acknowledged.keys.sorted().prefix(20) {
                    let (status, body) = try await client.submit(Self.order, idempotencyKey: key)
                    let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                    #expect(status == 201 && (json?["id"] as? NSNumber)?.int64Value == acknowledged[key])
                }
            }
            #expect(try await app.count("orders") == acknowledged.count + Set(unacknowledged).count)
            let check = try await InventoryCheck(database: app.database).run()
            #expect(check.problems.isEmpty, "\(check.problems)")
        }
    }
}
