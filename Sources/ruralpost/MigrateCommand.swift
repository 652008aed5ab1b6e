import ArgumentParser
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost migrate`: apply pending migrations from sql/.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let logger = db.makeLogger()
        let applied = try await db.withDatabase(migrate: false, logger: logger) { database in
            try await MigrationRunner(database: database).migrate()
        }
        print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
    }
}
