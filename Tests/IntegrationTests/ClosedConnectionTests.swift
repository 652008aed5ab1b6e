import Foundation
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// A transaction or a pooled connection whose connection closes under it (the database
/// stopped, its backend was killed) answers `unavailable`, whatever statement its body
/// sends next, instead of waiting forever. PostgresNIO 1.33 drops a statement written
/// to a closed connection without failing it; before the whole body was bounded, a
/// background worker caught that way by a database outage never returned, and the
/// server's graceful shutdown waited for it (the outage test hung in "stopping the
/// server", about one run in five).
///
/// The backend is killed with `pg_terminate_backend` on the real test cluster; the body
/// then sends a statement on its closed connection. And the bound keeps cancellation:
/// a cancelled caller cancels its body.
@Suite struct ClosedConnectionTests {
    enum Use: String, CaseIterable, Sendable {
        case transaction, withConnection
    }

    @Test(arguments: Use.allCases)
    func aStatementOnAKilledConnectionAnswersUnavailable(_ use: Use) async throws {
        let settings = try await TestCluster.freshDatabase()
        let outcome = await Self.within(.seconds(20)) {
            try await Database.with(settings, logger: TestCluster.logger, maxConnections: 4) { database in
                let body: @Sendable (PostgresConnection) async throws -> String = { connection in
                    var pid: Int32 = 0
                    for try await value in try await connection.query("SELECT pg_backend_pid()", logger: database.logger).decode(Int32.self) {
                        pid = value
                    }
                    // Another pooled connection kills this one's backend.
                    try await database.query("SELECT pg_terminate_backend(\(pid))")
                    for _ in 0..<250 where !connection.isClosed { try await Task.sleep(for: .milliseconds(20)) }
                    #expect(connection.isClosed, "the killed backend's connection did not close in 5 s")
                    // The statement a store might still send (e.g. after a `try?`).
                    _ = try await connection.query("SELECT 1", logger: database.logger)
                    return "the statement on the closed connection succeeded"
                }
                let started = ContinuousClock.now
                do {
                    let answer = switch use {
                    case .transaction: try await database.transaction(body)
                    case .withConnection: try await database.withConnection(body)
                    }
                    return answer
                } catch DomainError.unavailable {
                    return "unavailable after \(ContinuousClock.now - started)"
                }
            }
        }
        Self.expect(outcome, of: use, silence: "no answer within 20 s of killing the connection's backend") { $0.hasPrefix("unavailable") }
    }

    /// The body runs in a task of its own (so that it can be left behind): cancelling
    /// the caller still cancels it, as a planning request's solver must stop when the
    /// request is cancelled.
    @Test(arguments: Use.allCases)
    func cancellingTheCallerCancelsTheBody(_ use: Use) async throws {
        let settings = try await TestCluster.freshDatabase()
        let outcome = await Self.within(.seconds(20)) {
            try await Database.with(settings, logger: TestCluster.logger, maxConnections: 4) { database in
                let running = Flag()
                let body: @Sendable (PostgresConnection) async throws -> String = { _ in
                    running.set()
                    try await Task.sleep(for: .seconds(60))
                    return "the body slept on, uncancelled"
                }
                let caller = Task {
                    switch use {
                    case .transaction: try await database.transaction(body)
                    case .withConnection: try await database.withConnection(body)
                    }
                }
                // Cancelled once the body runs (not while the pool is still leasing a
                // connection, which a loaded machine can make take a while).
                for _ in 0..<750 where !running.isSet { try await Task.sleep(for: .milliseconds(20)) }
                #expect(running.isSet, "the body did not start in 15 s")
                caller.cancel()
                do {
                    return try await caller.value
                } catch is CancellationError {
                    return "cancelled"
                }
            }
        }
        Self.expect(outcome, of: use, silence: "the cancelled caller had no answer within 20 s") { $0 == "cancelled" }
    }

    /// Records an issue unless `outcome` is an answer that `isExpected` accepts.
    static func expect(_ outcome: Result<String, any Error>?, of use: Use, silence: String, _ isExpected: (String) -> Bool) {
        switch outcome {
        case nil: Issue.record("\(use): \(silence)")
        case .failure(let error)?: Issue.record("\(use): \(error)")
        case .success(let answer)?: #expect(isExpected(answer), "\(use): \(answer)")
        }
    }

    /// The result of `work`, or nil if it has none within `limit` (the work is left
    /// running: a hang must fail the test, not stop the suite).
    static func within<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        let box = ResultBox<T>()
        let task = Task { box.set(await Result(catching: work)) }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let result = box.value { return result }
            try? await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        return box.value
    }

    final class ResultBox<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<T, any Error>?
        var value: Result<T, any Error>? { lock.withLock { stored } }
        func set(_ result: Result<T, any Error>) { lock.withLock { stored = result } }
    }
}
