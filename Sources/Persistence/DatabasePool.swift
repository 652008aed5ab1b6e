import Foundation
import Logging
import PostgresNIO
import RuralPostCore

/// The PostgreSQL connection pool behind `Database`, and whether the database can be
/// reached.
///
/// `PostgresClient` alone handles an outage badly for a server: while the database is
/// down, requests wait for a connection until the pool's circuit breaker trips (a
/// minute), and after it is back the pool may sit out a long reconnect backoff. So a
/// monitor keeps one probe connection of its own and runs `SELECT 1` on it twice a
/// second (`DatabaseProbe`). When that is refused, or goes unanswered for three seconds
/// (`silenceForOutage`), the database is *unavailable*: every operation fails at once
/// with `DomainError.unavailable` (HTTP 503 `database_unavailable`), the pool is replaced
/// by a fresh one (which fails whatever was still waiting in the old one) and one
/// warning is logged. When the probe succeeds again, operations go through again, on
/// the fresh pool with no backoff to sit out, and one notice is logged. An operation
/// that hits a broken connection asks the monitor to probe at once.
///
/// A pool made with `init(client:)` has no monitor (command-line tools, tests): it is
/// always taken as available, and runs `client` as given.
public final class DatabasePool: @unchecked Sendable {
    /// How often the monitor probes while the database is reachable, and while it is not.
    public static let probeInterval: Duration = .milliseconds(500)
    public static let outageProbeInterval: Duration = .milliseconds(250)
    /// How long a probe (connect, or `SELECT 1`) may take before it counts as unanswered.
    public static let probeTimeout: Duration = .seconds(1)
    /// How long probes may go unanswered (or be turned away by a full server) before
    /// that is an outage; a refused or broken connection is one at once. Three seconds,
    /// not one slow second on a saturated machine (see `DatabaseProbe`).
    public static let silenceForOutage: Duration = .seconds(3)

    private let configuration: PostgresClient.Configuration?
    private let logger: Logger
    private let lock = NSLock()
    private var current: PostgresClient
    private var clientTask: Task<Void, Never>?
    private var available = true
    private var downSince: ContinuousClock.Instant?
    /// Set by operations that hit a broken connection: the monitor probes at once.
    private var wakeRequested = false
    private var observers: [@Sendable (Bool) -> Void] = []
    /// Outages so far, and who waits for the next one (`nextOutage`).
    private var outages = 0
    private var outageWaiters: [UInt64: @Sendable () -> Void] = [:]
    private var nextWaiterID: UInt64 = 0

    /// A monitored pool for `configuration`; call `run()` (it is a service of the server).
    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.current = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// An unmonitored pool around `client`, which the caller runs.
    public init(client: PostgresClient, logger: Logger) {
        self.configuration = nil
        self.logger = logger
        self.current = client
    }

    /// Calls `observer` with `false` when the database becomes unreachable and `true` when
    /// it is back (metrics).
    public func onAvailabilityChange(_ observer: @escaping @Sendable (Bool) -> Void) {
        lock.withLock { observers.append(observer) }
    }

    /// The number of outages so far: an operation that started before the count changed
    /// ran into one.
    public var outageCount: Int { lock.withLock { outages } }

    /// Calls `handler` once, when the next outage after `count` begins (at once if it
    /// has already begun); returns a token for `cancelOutageWait`.
    public func whenOutage(after count: Int, _ handler: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, now): (UInt64, Bool) = lock.withLock {
            nextWaiterID &+= 1
            if outages != count { return (nextWaiterID, true) }
            outageWaiters[nextWaiterID] = handler
            return (nextWaiterID, false)
        }
        if now { handler() }
        return id
    }

    /// Forgets a `whenOutage` handler that is no longer needed.
    public func cancelOutageWait(_ id: UInt64) {
        _ = lock.withLock { outageWaiters.removeValue(forKey: id) }
    }

    /// The current client, whether or not the database is reachable.
    public var client: PostgresClient { lock.withLock { current } }

    /// Whether the last probe reached the database.
    public var isAvailable: Bool { lock.withLock { available } }

    /// The pool to lease from, or `DomainError.unavailable` while the database is down.
    func currentClient() throws -> PostgresClient {
        let (client, up) = lock.withLock { (current, available) }
        guard up else {
            throw DomainError.unavailable("the database is unreachable")
        }
        return client
    }

    /// Called by operations that failed on a broken or refused connection.
    func suspectOutage() {
        lock.withLock { wakeRequested = true }
    }

    /// Runs the pool and the monitor until cancelled (graceful shutdown).
    public func run() async {
        guard let configuration else { return }
        let first = lock.withLock { current }
        let firstTask = Task { await first.run() }
        lock.withLock { clientTask = firstTask }
        let probe = DatabaseProbe(configuration, timeout: Self.probeTimeout)
        var unansweredSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let outcome = await probe.check()
            switch outcome {
            case .answered:
                unansweredSince = nil
                markUp()
            case .refused:
                markDown()
            case .timedOut:
                let since = unansweredSince ?? started
                unansweredSince = since
                if ContinuousClock.now - since >= Self.silenceForOutage { markDown() }
            }
            let interval = isAvailable ? Self.probeInterval : Self.outageProbeInterval
            // Sleep until the interval is over or an operation reports a broken connection.
            let until = ContinuousClock.now + interval
            while ContinuousClock.now < until, !Task.isCancelled {
                if lock.withLock({ defer { wakeRequested = false }; return wakeRequested }) { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        probe.close()
        let task = lock.withLock { clientTask }
        task?.cancel()
        await task?.value
    }

    private func markUp() {
        let since: ContinuousClock.Instant? = lock.withLock {
            guard !available else { return nil }
            available = true
            defer { downSince = nil }
            return downSince
        }
        guard let since else { return }
        for observer in lock.withLock({ observers }) { observer(true) }
        let seconds = (ContinuousClock.now - since).components.seconds
        logger.notice("database reachable again; serving requests", metadata: ["outage_s": "\(seconds)"])
    }

    private func markDown() {
        let waiters: [@Sendable () -> Void]? = lock.withLock {
            guard available else { return nil }
            available = false
            downSince = .now
            outages += 1
            defer { outageWaiters.removeAll() }
            return Array(outageWaiters.values)
        }
        guard let waiters else { return }
        for observer in lock.withLock({ observers }) { observer(false) }
        for waiter in waiters { waiter() }
        logger.warning("database unreachable; answering 503 database_unavailable until it is back",
                       metadata: ["host": "\(configuration?.host ?? "?")", "port": "\(configuration?.port ?? 0)"])
        // A fresh pool: the old one fails the leases still waiting in it at once, and the
        // new one has no reconnect backoff to sit out when the database comes back.
        let old = lock.withLock { clientTask }
        old?.cancel()
        startClient()
    }

    private func startClient() {
        guard let configuration else { return }
        let fresh = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await fresh.run() }
        lock.withLock {
            current = fresh
            clientTask = task
        }
    }

}

extension DomainError {
    /// Whether `error` says the connection to the database broke or could not be made
    /// (as opposed to the database refusing a statement).
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.commitError, transaction.closureError, transaction.rollbackError]
                .contains { $0.map(isConnectionFailure) ?? false }
        }
        // The pool's own errors (its circuit breaker) are not public API; know them by name.
        if String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") { return true }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .clientClosedConnection:
                return true
            case .server:
                // 08xxx connection exception; 57P01-57P03 shutting down, crashed, starting up.
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            default:
                return psql.underlying.map(isConnectionFailure) ?? false
            }
        }
        if error is ChannelError { return true }
        return false
    }
}
