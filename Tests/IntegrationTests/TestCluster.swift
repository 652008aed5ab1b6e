import Foundation
import Logging
import Logistics
import Persistence
import PostgresNIO
import RuralPostCore

/// The PostgreSQL the tests run against: the server named by DATABASE_URL, or an
/// embedded cluster in a temporary directory started once per test process (the same
/// launcher `serve` uses) and stopped at exit. Every test gets a fresh database
/// cloned from a migrated template, so tests run in parallel without sharing rows.
enum TestCluster {
    static let logger: Logger = {
        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        return logger
    }()

    private static let base: Task<PostgresClient.Configuration, any Error> = Task {
        let environment = ProcessInfo.processInfo.environment
        var configuration: PostgresClient.Configuration
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            configuration = try DatabaseSettings.parse(url: url)
        } else {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("ruralpost-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            let settings = try await DatabaseSettings.resolve(
                environment: [:], dataDirectory: directory.appendingPathComponent("pgdata"),
                databaseName: "postgres", maxConnections: maxConnections, logger: logger)
            embedded = settings.embedded
            atexit {
                TestCluster.embedded?.stop()
                if let dir = TestCluster.embedded?.dataDirectory.deletingLastPathComponent() {
                    try? FileManager.default.removeItem(at: dir)
                }
            }
            configuration = settings.configuration
        }
        // Build the migrated template once.
        configuration.database = "postgres"
        try await DatabaseSettings.createDatabaseIfMissing(templateName, configuration: configuration, logger: logger)
        var template = configuration
        template.database = templateName
        _ = try await Database.with(DatabaseSettings(configuration: template, embedded: nil), logger: logger, maxConnections: 2) { db in
            try await MigrationRunner(database: db).migrate()
        }
        return configuration
    }

    /// Connections the embedded cluster allows: every integration test runs at once, each
    /// with a server pool, a test pool and a probe (about 14), and some start CLI processes.
    static let maxConnections = 1000
    nonisolated(unsafe) static var embedded: EmbeddedPostgres?
    static let templateName = "ruralpost_test_template_\(getpid())"
    private static let counter = Counter()

    /// A new, migrated, empty database.
    static func freshDatabase() async throws -> DatabaseSettings {
        var configuration = try await base.value
        let name = "rp_test_\(getpid())_\(await counter.next())"
        try await DatabaseSettings.createDatabaseIfMissing(name, template: templateName, configuration: configuration, logger: logger)
        configuration.database = name
        return DatabaseSettings(configuration: configuration, embedded: nil)
    }

    /// A new database without any migration applied (for tests of the migrations).
    static func emptyDatabase() async throws -> DatabaseSettings {
        var configuration = try await base.value
        let name = "rp_test_\(getpid())_\(await counter.next())_empty"
        try await DatabaseSettings.createDatabaseIfMissing(name, configuration: configuration, logger: logger)
        configuration.database = name
        return DatabaseSettings(configuration: configuration, embedded: nil)
    }

    /// Connection settings of a test app's database (for child processes).
    static func configurationOf(_ app: TestApp) -> PostgresClient.Configuration {
        app.settings.configuration
    }

    /// A `DATABASE_URL` for a child `ruralpost` process on the test app's database.
    static func databaseURL(of app: TestApp) -> String {
        let c = configurationOf(app)
        return "postgres://\(c.username)@\(c.host ?? "127.0.0.1"):\(c.port ?? 5432)/\(c.database ?? "")?sslmode=disable"
    }

    actor Counter {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
}
