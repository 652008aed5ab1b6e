import Foundation
import Logging
import Persistence
import PostgresNIO
import Testing

/// What the pool's monitor takes for an outage: a database that refuses is one at once;
/// one that is silent or full (every slot taken) only after three seconds of that,
/// so that a busy machine or a full `max_connections` does not fail requests that were
/// about to succeed (sixty parallel test servers once exhausted the test cluster's 200
/// connections, and fourteen pools declared outages that were none).
///
/// The lower bounds hold however loaded the machine is (three seconds cannot pass
/// sooner); the upper bounds are generous, but they are timings: the suite runs in
/// `make test`'s solo pass (in the parallel pass a refused connect once took 3.9 s to
/// be reported).
@Suite(SoloRun.trait) struct DatabaseMonitorTests {
    @Test func aRefusedConnectionIsAnOutageAtOnce() async throws {
        let port = try EmbeddedPostgres.freePort()  // nothing listens there
        let down = try await Self.watch(port: port) { pool in
            try await Self.until(.seconds(5)) { !pool.isAvailable }
        }
        #expect(down != nil, "a refused database was still taken as available after 5 s")
        #expect((down ?? .zero) < .seconds(2))
    }

    @Test(arguments: [FakePostgresServer.Behaviour.silent, .full])
    func aSilentOrFullDatabaseIsAnOutageOnlyAfterThreeSeconds(_ behaviour: FakePostgresServer.Behaviour) async throws {
        let server = try FakePostgresServer(behaviour)
        defer { server.stop() }
        let down = try await Self.watch(port: server.port) { pool in
            try await Self.until(.seconds(20)) { !pool.isAvailable }
        }
        let elapsed = try #require(down, "\(behaviour): never taken as an outage in 20 s")
        // Three seconds of silence, measured from a probe that starts with the pool.
        #expect(elapsed >= .milliseconds(2500), "\(behaviour): outage after \(elapsed), before three seconds of silence")
        #expect(server.connections >= 3, "\(behaviour): \(server.connections) connection(s)")
    }

    @Test func aReachableDatabaseStaysAvailable() async throws {
        let settings = try await TestCluster.freshDatabase()
        let port = try #require(settings.configuration.port)
        let down = try await Self.watch(port: port, database: settings.configuration.database) { pool in
            try await Self.until(.seconds(3)) { !pool.isAvailable }
        }
        #expect(down == nil)
    }

    /// Runs a monitored pool for 127.0.0.1:`port` while `body` looks at it.
    static func watch<T: Sendable>(
        port: Int, database: String? = "postgres", _ body: @escaping @Sendable (DatabasePool) async throws -> T
    ) async throws -> T {
        let configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "ruralpost", password: nil, database: database, tls: .disable)
        let pool = DatabasePool(configuration: configuration, logger: TestCluster.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await pool.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(pool)
        }
    }

    /// How long until `condition` held (polled every 20 ms), or nil after `limit`.
    static func until(_ limit: Duration, _ condition: @Sendable () -> Bool) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
