import API
import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Logistics
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// Stops and restarts a real embedded PostgreSQL under a running server in the middle of
/// order intake, and checks what clients and operators see: answers, never hangs; 503
/// `database_unavailable` with `Retry-After` while it is down; recovery without a
/// restart; nothing acknowledged lost, nothing doubled, stock books clean; one log line
/// per outage.
///
/// Every wait is bounded: each request has a 10 s timeout, PostgreSQL's stop and start
/// are bounded by `pg_ctl -t`, the test has a time limit, and a watchdog ends the process
/// with the step it was stuck in if even cancellation does not get it moving: a clear
/// failure, never a hang of the whole suite.
@Suite(.serialized, SoloRun.trait, .timeLimit(.minutes(3))) struct DatabaseOutageTests {
    /// One answered (or unanswered) request of the load.
    struct Outcome: Sendable {
        let key: String
        let status: Int?  // nil: no HTTP answer
        let orderId: Int64?
        let code: String?
        let retryAfter: String?
        let started: ContinuousClock.Instant
        let seconds: Double
    }

    actor Recorder {
        private(set) var outcomes: [Outcome] = []
        private(set) var acknowledged = 0
        func record(_ outcome: Outcome) {
            outcomes.append(outcome)
            if outcome.status == 201 { acknowledged += 1 }
        }
    }

    /// A cluster of this test's own (the shared test cluster must keep running).
    static func ownCluster() async throws -> (EmbeddedPostgres, DatabaseSettings, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ruralpost-outage-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let embedded = try EmbeddedPostgres(dataDirectory: directory.appendingPathComponent("pgdata"), logger: TestCluster.logger)
        try embedded.start()
        var configuration = PostgresClient.Configuration(host: "127.0.0.1", port: embedded.port, username: embedded.username,
                                                         password: nil, database: "postgres", tls: .disable)
        try await DatabaseSettings.createDatabaseIfMissing("ruralpost", configuration: configuration, logger: TestCluster.logger)
        configuration.database = "ruralpost"
        return (embedded, DatabaseSettings(configuration: configuration, embedded: nil), directory)
    }

    @Test func outageInTheMiddleOfIntake() async throws {
        let steps = Watchdog(name: "DatabaseOutageTests", limit: .seconds(240))
        defer { steps.finish() }
        steps.enter("starting its own PostgreSQL")
        let (embedded, settings, directory) = try await Self.ownCluster()
        defer {
            embedded.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let pgPort = embedded.port
        let logs = LogCounter()
        var config = AppConfig(host: "127.0.0.1", port: 0)
        config.databaseConnections = 8
        config.workers.pollInterval = .milliseconds(200)  // workers poll often: their logging is under test too
        config.workers.maintenanceInterval = .seconds(1)
        let built = try buildApplication(settings: settings, config: config, logger: logs.logger)
        let admin = try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { database in
            try await MigrationRunner(database: database).migrate()
            return try await APIKeyStore(database: database).create(role: .admin, name: "outage test", scopes: []).1
        }
        try await built.application.test(.live) { client in
            let app = try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { database in
                TestApp(client: client, database: database, settings: settings, admin: admin, routes: built.routes)
            }
            steps.enter("setting up master data and stock")
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 1_000_000), ("WH-B", "APPLE", 1_000_000), ("WH-A", "TEA", 1_000_000)])
            let port = try #require(client.port)
            let recorder = Recorder()
            let stop = Flag()
            // Each order carries its idempotency key as externalRef: an independent way to
            // count the effects of each key.
            @Sendable func order(_ key: String) -> [String: Any] {
                var body = OrderFixture.order([("RICE", 1), ("APPLE", 1)])
                body["externalRef"] = key
                return body
            }

            typealias Observed = (readyzDownAfter: Double?, apiStatus: Int, apiBody: Data, apiRetryAfter: String?, apiSeconds: Double,
                                  recoveredAfter: Double?, stoppedAt: ContinuousClock.Instant, restartedAt: ContinuousClock.Instant)
            // The load ends when the test says so, and in any case after two minutes.
            let loadDeadline = ContinuousClock.now + .seconds(120)
            let outage: Observed? = try await LoadClient.with(port: port, key: admin, connections: 16) { load in
                let workers = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for worker in 0..<12 {
                            group.addTask {
                                var i = 0
                                while !stop.isSet, ContinuousClock.now < loadDeadline {
                                    i += 1
                                    let key = "outage-\(worker)-\(i)"
                                    let started = ContinuousClock.now
                                    var outcome = Outcome(key: key, status: nil, orderId: nil, code: nil, retryAfter: nil, started: started, seconds: 0)
                                    if let (status, body, headers) = try? await load.submitWithHeaders(order(key), idempotencyKey: key) {
                                        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                                        outcome = Outcome(key: key, status: status, orderId: (json?["id"] as? NSNumber)?.int64Value,
                                                          code: (json?["error"] as? [String: Any])?["code"] as? String,
                                                          retryAfter: headers, started: started,
                                                          seconds: Self.seconds(ContinuousClock.now - started))
                                    } else {
                                        outcome = Outcome(key: key, status: nil, orderId: nil, code: nil, retryAfter: nil, started: started,
                                                          seconds: Self.seconds(ContinuousClock.now - started))
                                    }
                                    await recorder.record(outcome)
                                    if outcome.status != 201 { try? await Task.sleep(for: .milliseconds(20)) }
                                }
                            }
                        }
                    }
                }
                // Whatever goes wrong below, the load ends before the client shuts down.
                do {
                    // Stop PostgreSQL once intake is well under way (a count, not a time).
                    steps.enter("intake before the outage")
                    for _ in 0..<600 where await recorder.acknowledged < 100 { try await Task.sleep(for: .milliseconds(50)) }
                    #expect(await recorder.acknowledged >= 100, "intake should be under way before the outage")
                    // pg_ctl waits for the shutdown: off the cooperative threads, which the
                    // in-process server needs; the clock starts once the database is gone.
                    steps.enter("stopping PostgreSQL")
                    await Self.offPool { embedded.stop() }
                    steps.enter("during the outage")
                    let stoppedAt = ContinuousClock.now
                    // Readiness: 503 within a second of the database going away.
                    var readyzDownAfter: Double?
                    while readyzDownAfter == nil, ContinuousClock.now - stoppedAt < .seconds(5) {
                        let (status, _, _) = try await load.get("/readyz")
                        if status == 503 { readyzDownAfter = Self.seconds(ContinuousClock.now - stoppedAt) }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    // An API request while it is down: 503 database_unavailable with Retry-After, quickly.
                    try await Task.sleep(for: .seconds(1))
                    let probeStarted = ContinuousClock.now
                    let (apiStatus, apiBody, apiHeaders) = try await load.get("/v1/warehouses")
                    let apiSeconds = Self.seconds(ContinuousClock.now - probeStarted)
                    try await Task.sleep(for: .seconds(2))
                    // Back: the same port, the same server process.
                    steps.enter("restarting PostgreSQL")
                    try await Self.offPool { try embedded.start(preferredPort: pgPort) }
                    // The server knows only this port: elsewhere, it could never recover.
                    guard embedded.port == pgPort else {
                        stop.set()
                        await workers.value
                        Issue.record("PostgreSQL came back on port \(embedded.port), not \(pgPort)")
                        return nil
                    }
                    let restartedAt = ContinuousClock.now
                    steps.enter("waiting for recovery")
                    var recoveredAfter: Double?
                    while recoveredAfter == nil, ContinuousClock.now - restartedAt < .seconds(20) {
                        let probe = "probe-\(UUID())"
                        let status = try? await load.submitWithHeaders(order(probe), idempotencyKey: probe).0
                        if status == 201 { recoveredAfter = Self.seconds(ContinuousClock.now - restartedAt) }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await Task.sleep(for: .seconds(2))
                    stop.set()
                    steps.enter("ending the intake load")
                    await workers.value
                    return (readyzDownAfter, apiStatus, apiBody, apiHeaders, apiSeconds, recoveredAfter, stoppedAt, restartedAt)
                } catch {
                    stop.set()
                    await workers.value
                    throw error
                }
            }
            guard let outage else { return }
            steps.enter("checking the answers")
            let (readyzDownAfter, apiStatus, apiBody, apiRetryAfter, apiSeconds, recoveredAfter, stoppedAt, restartedAt) = outage
            let outcomes = await recorder.outcomes

            let down = outcomes.filter { $0.status == 503 }.count
            print("outage: readyz 503 after \(readyzDownAfter ?? -1) s; API 503 in \(apiSeconds) s; recovered \(recoveredAfter ?? -1) s after restart; "
                + "\(outcomes.count) requests, \(outcomes.filter { $0.status == 201 }.count) acknowledged, \(down) answered 503, "
                + "\(outcomes.filter { $0.status == nil }.count) unanswered; slowest \(outcomes.map(\.seconds).max() ?? 0) s")
            #expect(readyzDownAfter != nil && readyzDownAfter! < 1.0, "readyz answered 503 after \(String(describing: readyzDownAfter)) s")
            let apiCode = ((try? JSONSerialization.jsonObject(with: apiBody)) as? [String: Any])?["error"] as? [String: Any]
            #expect(apiStatus == 503 && apiCode?["code"] as? String == "database_unavailable" && apiRetryAfter != nil,
                    "during the outage: \(apiStatus) \(String(decoding: apiBody, as: UTF8.self))")
            #expect(apiSeconds < 2.0, "the API answered after \(apiSeconds) s during the outage")
            #expect(recoveredAfter != nil && recoveredAfter! < 5.0, "orders succeeded again \(String(describing: recoveredAfter)) s after the database was back")

            // No request without an answer; only 201 or 503 database_unavailable (with Retry-After).
            #expect(outcomes.allSatisfy { $0.status != nil }, "\(outcomes.filter { $0.status == nil }.count) requests got no answer")
            let unexpected = outcomes.filter { $0.status != 201 && !($0.status == 503 && $0.code == "database_unavailable" && $0.retryAfter != nil) }
            #expect(unexpected.isEmpty, "unexpected answers: \(unexpected.prefix(5).map { "\($0.status ?? 0) \($0.code ?? "")" })")
            // Requests made while the database was down were answered within 2 s.
            let duringOutage = outcomes.filter { $0.started > stoppedAt + .seconds(0.5) && $0.started < restartedAt }
            #expect(!duringOutage.isEmpty)
            #expect(duringOutage.allSatisfy { $0.seconds < 2.0 }, "slowest answer during the outage: \(duringOutage.map(\.seconds).max() ?? 0) s")

            // Every acknowledged order is there; a retry of every refused key makes exactly one order.
            let acknowledged = Dictionary(outcomes.compactMap { o in o.status == 201 ? o.orderId.map { (o.key, $0) } : nil }, uniquingKeysWith: { a, _ in a })
            let refused = Set(outcomes.filter { $0.status != 201 }.map(\.key))
            try await LoadClient.with(port: port, key: admin, connections: 4) { load in
                steps.enter("retrying \(refused.count) refused keys")
                for key in refused.sorted() {
                    let status = try? await load.submitWithHeaders(order(key), idempotencyKey: key).0
                    #expect(status == 201, "retry of \(key): \(status.map(String.init) ?? "no answer")")
                }
            }
            steps.enter("checking the database")
            try await Database.with(settings, logger: TestCluster.logger, maxConnections: 2) { database in
                let ids = Array(acknowledged.values)
                var found = 0
                for try await n in try await database.query("SELECT count(*)::bigint FROM orders WHERE id = ANY(\(ids))").decode(Int64.self) {
                    found = Int(n)
                }
                #expect(found == acknowledged.count, "\(acknowledged.count - found) acknowledged orders are missing")
                // One order per key: no key with two effects, every load key with one.
                var duplicates = 0
                for try await n in try await database.query("""
                    SELECT count(*)::bigint FROM (SELECT external_ref FROM orders GROUP BY external_ref HAVING count(*) > 1) d
                    """).decode(Int64.self) { duplicates = Int(n) }
                #expect(duplicates == 0, "\(duplicates) keys have more than one order")
                let keys = Array(Set(acknowledged.keys).union(refused))
                var withOrder = 0
                for try await n in try await database.query("SELECT count(DISTINCT external_ref)::bigint FROM orders WHERE external_ref = ANY(\(keys))").decode(Int64.self) {
                    withOrder = Int(n)
                }
                #expect(withOrder == keys.count)
                let check = try await InventoryCheck(database: database).run()
                #expect(check.problems.isEmpty, "\(check.problems)")
            }
            steps.enter("stopping the server")
            // Operators: one warning when it went away, one notice when it was back; workers silent.
            #expect(logs.count(containing: "database unreachable") == 1, "\(logs.lines(atLeast: .warning))")
            #expect(logs.count(containing: "database reachable again") == 1)
            #expect(logs.count(containing: "failed; retrying") == 0, "\(logs.lines(atLeast: .warning))")
            #expect(logs.count(containing: "works again") == 0, "\(logs.lines(atLeast: .notice))")
            #expect(logs.lines(atLeast: .error).isEmpty, "\(logs.lines(atLeast: .error))")
        }
    }

    /// Runs blocking `work` (a subprocess) on a thread of its own.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    static func offPool(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            Thread {
                work()
                continuation.resume()
            }.start()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A thread-safe stop signal for load loops.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Collects what the server logs, to check what an operator would see.
final class LogCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []

    var logger: Logger {
        var logger = Logger(label: "outage-test") { _ in Handler(counter: self) }
        logger.logLevel = .info
        return logger
    }

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { entries.append((level, message)) } }
    func count(containing text: String) -> Int { lock.withLock { entries.filter { $0.1.contains(text) }.count } }
    func lines(atLeast level: Logger.Level) -> [String] { lock.withLock { entries.filter { $0.0 >= level }.map(\.1) } }

    struct Handler: LogHandler {
        let counter: LogCounter
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            counter.append(level, "\(message) \(metadata ?? [:])")
        }
    }
}

extension LoadClient {
    /// POSTs an order; returns status, body and headers.
    func submitWithHeaders(_ body: [String: Any], idempotencyKey: String) async throws -> (Int, Data, String?) {
        var request = HTTPClientRequest(url: base + "/v1/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), Data(bytes.readableBytesView), response.headers.first(name: "Retry-After"))
    }

    /// GETs `path` with the key; returns status, body and headers.
    func get(_ path: String) async throws -> (Int, Data, String?) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), Data(bytes.readableBytesView), response.headers.first(name: "Retry-After"))
    }
}

/// Names the step a long test is in, prints each step with its start time (so a failure
/// shows how far it got), and ends the process with that step's name if the test is
/// still running after `limit`: the last resort when even the time limit's cancellation
/// cannot get a stuck wait moving, so that CI gets a clear failure instead of a hang.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let name: String
    private let started = ContinuousClock.now
    private var step = "starting"
    private var done = false

    init(name: String, limit: Duration) {
        self.name = name
        let thread = Thread { [weak self] in
            let until = ContinuousClock.now + limit
            while ContinuousClock.now < until {
                Thread.sleep(forTimeInterval: 0.5)
                guard let self, !self.isDone else { return }
            }
            guard let self, !self.isDone else { return }
            FileHandle.standardError.write(Data("\(self.name): still running after \(limit), stuck in step '\(self.current)'; ending the test process\n".utf8))
            exit(1)
        }
        thread.start()
    }

    private var isDone: Bool { lock.withLock { done } }
    private var current: String { lock.withLock { step } }

    func enter(_ step: String) {
        let elapsed = ContinuousClock.now - started
        lock.withLock { self.step = step }
        FileHandle.standardError.write(Data("\(name) [\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))]: \(step)\n".utf8))
    }

    func finish() { lock.withLock { done = true } }
}
