import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The monitor's own connection to the database and the `SELECT 1` it runs on it.
///
/// A probe tells a database that *refuses* (connection refused or closed, an error from
/// the server) from one that is merely *slow to answer* or *full* (every connection slot
/// taken): the first is an outage at once; the others are one only when they last
/// (`DatabasePool.silenceForOutage`), because a server whose two cores are saturated (a
/// burst of intake, a route plan, a test suite) can take more than a second to fork a
/// backend or answer, and declaring an outage then would replace the pool under
/// requests that were about to succeed.
///
/// Neither the connect nor the query is awaited past `timeout`: a statement on a
/// connection that broke under it may never complete in PostgresNIO 1.33, and a probe
/// that waited for it would stop the monitor (no outage would ever end).
final class DatabaseProbe: @unchecked Sendable {
    /// What one probe found.
    enum Outcome: Equatable {
        /// `SELECT 1` answered within the timeout.
        case answered
        /// The connect or the query failed before the timeout: the database is not there.
        case refused
        /// Nothing came back within the timeout.
        case timedOut
    }

    private let configuration: PostgresConnection.Configuration
    private let timeout: Duration
    private var connection: PostgresConnection?
    private var connectionID = 0

    init(_ client: PostgresClient.Configuration, timeout: Duration) {
        var configuration = PostgresConnection.Configuration(
            host: client.host ?? "127.0.0.1", port: client.port ?? 5432,
            username: client.username, password: client.password,
            database: client.database, tls: .disable)
        configuration.options.connectTimeout = TimeAmount(timeout)
        self.configuration = configuration
        self.timeout = timeout
    }

    /// Connects if needed, then runs `SELECT 1`; each step within the timeout. Called by
    /// the monitor only, one probe at a time.
    func check() async -> Outcome {
        if connection == nil || connection?.isClosed == true {
            connectionID += 1
            let (configuration, id) = (self.configuration, connectionID)
            let connected = await Self.first(within: timeout) { () -> Result<PostgresConnection, any Error> in
                do {
                    return .success(try await PostgresConnection.connect(configuration: configuration, id: id, logger: Self.quiet))
                } catch {
                    return .failure(error)
                }
            } late: { late in
                if case .success(let connection) = late { Self.close(connection) }
            }
            switch connected {
            case .success(let fresh):
                connection = fresh
            case .failure(let error):
                // A server with every connection slot taken is there, only full; a connect
                // that gave up at its own timeout (PostgresNIO's covers the whole handshake)
                // is slowness, not a refusal. Told by the error, not by the time it took: on
                // a saturated machine even a refused connect can take a second to report.
                return Self.isFull(error) || Self.isConnectTimeout(error) ? .timedOut : .refused
            case nil:
                return .timedOut
            }
        }
        guard let open = connection else { return .refused }
        let answered = await Self.first(within: timeout) { () -> Bool in
            (try? await open.query("SELECT 1", logger: Self.quiet)) != nil
        } late: { _ in }
        if answered == true { return .answered }
        // A connection that failed or hangs is not used again.
        connection = nil
        Self.close(open)
        return answered == nil ? .timedOut : .refused
    }

    /// Closes the probe connection (the monitor stops).
    func close() {
        if let connection { Self.close(connection) }
        connection = nil
    }

    /// Whether `error` is the server refusing a connection because all its slots are
    /// taken (SQLSTATE 53300, "sorry, too many clients already").
    static func isFull(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "53300"
    }

    /// Whether `error` is a connect that ran out of time (NIO's connect timeout, as
    /// PostgresNIO reports it, possibly wrapped).
    static func isConnectTimeout(_ error: any Error) -> Bool {
        if case .connectTimeout? = error as? ChannelError { return true }
        if let psql = error as? PSQLError, let underlying = psql.underlying { return isConnectTimeout(underlying) }
        return false
    }

    /// Closes `connection` without waiting for it.
    private static func close(_ connection: PostgresConnection) {
        Task { try? await connection.close() }
    }

    /// The result of `operation`, or nil when `timeout` passes first; `operation` is left
    /// running (not awaited) when it does not finish in time, and what it returns after
    /// that goes to `late`.
    static func first<T: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async -> T, late: @escaping @Sendable (T) -> Void
    ) async -> T? {
        let race = FirstResult<T?>()
        let value = try? await withCheckedThrowingContinuation { continuation in
            race.wait(continuation)
            Task {
                let value = await operation()
                if !race.finish(.success(value)) { late(value) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                race.finish(.success(nil))
            }
        }
        return value
    }

    private static let quiet = Logger(label: "ruralpost.database-probe", factory: { _ in SwiftLogNoOpLogHandler() })
}
