import Logging
import PostgresNIO
import Storage

/// The demo's own database, recreated on every run so `make demo` is repeatable and
/// never touches the main `ruralpost` database.
enum DemoDatabase {
    static func recreate(named name: String, on settings: DatabaseSettings, logger: Logger) async throws -> DatabaseSettings {
        try await Database.with(settings, logger: logger, maxConnections: 1) { database in
            try await database.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"))
            try await database.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""))
        }
        var configuration = settings.configuration
        configuration.database = name
        return DatabaseSettings(configuration: configuration, embedded: nil)
    }
}
