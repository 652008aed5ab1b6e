import Foundation
import Logging
import PostgresNIO
import RuralPostCore

/// Where the database is: a server named by `DATABASE_URL`, or an embedded cluster
/// this process starts under `dataDirectory`.
public struct DatabaseSettings: Sendable {
    public var configuration: PostgresClient.Configuration
    /// The embedded cluster, if one was started or attached to.
    public let embedded: EmbeddedPostgres?

    public init(configuration: PostgresClient.Configuration, embedded: EmbeddedPostgres?) {
        self.configuration = configuration
        self.embedded = embedded
    }

    /// Resolves the settings from the environment, starting the embedded cluster
    /// when no `DATABASE_URL` is set (with `maxConnections`, when given, as its
    /// `max_connections`). Call `shutdown()` when done.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: URL,
        databaseName: String = "ruralpost",
        maxConnections: Int? = nil,
        logger: Logger
    ) async throws -> DatabaseSettings {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return DatabaseSettings(configuration: try parse(url: url), embedded: nil)
        }
        let embedded = try EmbeddedPostgres(dataDirectory: dataDirectory, logger: logger)
        if let maxConnections { embedded.maxConnections = maxConnections }
        try embedded.start()
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: embedded.port, username: embedded.username,
            password: nil, database: "postgres", tls: .disable
        )
        try await createDatabaseIfMissing(databaseName, configuration: configuration, logger: logger)
        configuration.database = databaseName
        return DatabaseSettings(configuration: configuration, embedded: embedded)
    }

    /// Stops the embedded cluster if this process started it.
    public func shutdown() {
        embedded?.stop()
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    public static func parse(url string: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: string),
              ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty
        else {
            throw DomainError.invalid(field: "DATABASE_URL", message: "expected postgres://user:password@host:port/database")
        }
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require", "verify-full", "verify-ca": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: components.percentEncodedPassword?.removingPercentEncoding,
            database: database.isEmpty ? nil : database, tls: tls
        )
    }

    /// Settings for a fresh, empty database `name` on the same server: an existing one of
    /// that name is dropped first (the demo's own database, so `make demo` is repeatable).
    public func recreatingDatabase(named name: String, logger: Logger) async throws -> DatabaseSettings {
        try await Database.with(self, logger: logger, maxConnections: 1) { database in
            let quoted = Self.quotedIdentifier(name)
            try await database.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)"))
            try await database.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted)"))
        }
        var configuration = self.configuration
        configuration.database = name
        return DatabaseSettings(configuration: configuration, embedded: nil)
    }

    /// `name` as a quoted SQL identifier: identifiers cannot be bound as parameters.
    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Creates `name` on the server (used for the embedded cluster and test databases).
    public static func createDatabaseIfMissing(
        _ name: String, template: String? = nil, configuration: PostgresClient.Configuration, logger: Logger
    ) async throws {
        try await Database.with(DatabaseSettings(configuration: configuration, embedded: nil), logger: logger, maxConnections: 1) { db in
            let rows = try await db.query("SELECT 1 FROM pg_database WHERE datname = \(name)")
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                // Names here come from code; quoted anyway.
                let quoted = quotedIdentifier(name)
                let templateClause = template.map { " TEMPLATE \(quotedIdentifier($0))" } ?? ""
                try await db.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted)\(templateClause)"))
            }
        }
    }
}

/// The connection pool plus the logger every repository uses.
///
/// Every operation fails fast with `DomainError.unavailable` while the pool's monitor
/// finds the database unreachable, and maps a connection that breaks under it to the
/// same error (see `DatabasePool`).
public struct Database: Sendable {
    public let pool: DatabasePool
    public let logger: Logger

    /// A database on a monitored pool (the server).
    public init(pool: DatabasePool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// A pool of at most `maxConnections` connections; it works once its `client` runs
    /// (`serve` runs it as a service of the application).
    public static func pool(_ settings: DatabaseSettings, maxConnections: Int, logger: Logger) -> Database {
        var configuration = settings.configuration
        configuration.options.maximumConnections = maxConnections
        return Database(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
    }

    /// A database on `client`, which the caller runs (command-line tools, tests).
    public init(client: PostgresClient, logger: Logger) {
        self.init(pool: DatabasePool(client: client, logger: logger), logger: logger)
    }

    /// The pool's current client, for code that needs PostgresNIO itself (tests); it does
    /// not check whether the database is reachable.
    public var client: PostgresClient { pool.client }

    /// Runs `body` with a live pool (for CLI commands; `serve` runs the pool as a service).
    public static func with<T: Sendable>(
        _ settings: DatabaseSettings, logger: Logger, maxConnections: Int = 20,
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let client = pool(settings, maxConnections: maxConnections, logger: logger).client
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            // Let run() start before the first lease (avoids a spurious pool warning).
            try await Task.sleep(for: .milliseconds(5))
            return try await body(Database(client: client, logger: logger))
        }
    }

    /// Runs `body` in one transaction, mapping database errors to `DomainError`. Not
    /// PostgresNIO's `withTransaction`: its `BEGIN`, `COMMIT` and `ROLLBACK` can wait
    /// forever on a connection that has closed (see `ClosedConnectionGuard`). Here the
    /// whole transaction, its control statements and the body's own, gives up with
    /// `unavailable` shortly after its connection closes, whatever statement it waits on,
    /// so a request or a background worker never waits forever on a connection that is
    /// gone; and there is no `ROLLBACK` on a closed connection (the server has rolled the
    /// transaction back already; a body still suspended is left behind and can never
    /// commit).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = try pool.currentClient()
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await ClosedConnectionGuard.run(on: connection) {
                    try await Self.control("BEGIN", on: connection, logger: logger)
                    let result: T
                    do {
                        result = try await body(connection)
                    } catch {
                        if !connection.isClosed { try? await Self.control("ROLLBACK", on: connection, logger: logger) }
                        throw error
                    }
                    try await Self.control("COMMIT", on: connection, logger: logger)
                    return result
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// A transaction-control statement (bounded by the guard around the whole transaction).
    static func control(_ statement: String, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await QueryRows(collecting: connection.query(PostgresQuery(unsafeSQL: statement), logger: logger))
    }

    /// Runs `body` on one pooled connection (each statement its own transaction), mapping
    /// database errors to `DomainError`.
    /// Bounded by the connection's closing as `transaction` is.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = try pool.currentClient()
        do {
            return try await client.withConnection { connection in
                try await ClosedConnectionGuard.run(on: connection) { try await body(connection) }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Database errors as `DomainError`. An error the body threw itself (a domain error, or
    /// a caller's own signal such as "retry this") passes through unchanged, so callers can
    /// roll a transaction back by throwing and still see their own error. A broken or
    /// refused connection is `unavailable`, and makes the pool's monitor probe at once.
    func mapped(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError, !(inner is PSQLError),
           !DomainError.isConnectionFailure(inner) {
            return inner
        }
        if case .unavailable = error as? DomainError {
            pool.suspectOutage()
            return error
        }
        if error is PSQLError || error is PostgresTransactionError || DomainError.isConnectionFailure(error) {
            let domain = DomainError(mapping: error)
            if case .unavailable = domain { pool.suspectOutage() }
            return domain
        }
        return error
    }

    /// Whether the database answers a trivial query (readiness).
    public func ping() async throws {
        try await query("SELECT 1")
    }

    /// Runs one query on a connection of its own and returns its rows once the connection
    /// is back in the pool (see `QueryRows` for why not `PostgresClient.query`), mapping
    /// database errors to `DomainError`.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> QueryRows {
        let logger = self.logger
        return try await withConnection { try await QueryRows(collecting: $0.query(query, logger: logger)) }
    }
}
