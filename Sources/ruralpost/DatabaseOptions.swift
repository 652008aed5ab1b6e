import ArgumentParser
import Foundation
import Logging
import Logistics
import Persistence
import RuralPostCore

/// Options every database-backed command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory of the embedded PostgreSQL cluster (used when DATABASE_URL is not set).")
    var dataDir: String = ".ruralpost/pgdata"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    func makeLogger(_ label: String = "ruralpost") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        return logger
    }

    /// Resolves the database (starting the embedded cluster if needed), runs `body`
    /// with a pool, then stops the cluster if this process started it.
    func withDatabase<T: Sendable>(
        migrate: Bool = true, logger: Logger, _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let settings = try await DatabaseSettings.resolve(dataDirectory: URL(fileURLWithPath: dataDir), logger: logger)
        defer { settings.shutdown() }
        return try await Database.with(settings, logger: logger) { database in
            if migrate { try await MigrationRunner(database: database).migrate() }
            return try await body(database)
        }
    }
}

/// Prints `error` the way a person at a terminal wants it and exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
