import ArgumentParser
import Foundation
import Logging
import RuralPostCore
import Storage

/// `ruralpost demo`: builds a demo county in its own database and shows what it holds.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a demo county into a fresh database (ruralpost_demo) and summarise it.")

    @Option(help: "Seed of the county generator.") var seed: UInt64 = 1
    @Option(help: "Orders in the day's intake.") var orders: Int = 1200
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let logger = db.makeLogger()
        let county = DemoCounty.generate(seed: seed, orders: orders)
        let settings = try await DatabaseSettings.resolve(dataDirectory: URL(fileURLWithPath: db.dataDir), logger: logger)
        defer { settings.shutdown() }
        let demoSettings = try await DemoDatabase.recreate(named: "ruralpost_demo", on: settings, logger: logger)
        try await Database.with(demoSettings, logger: logger) { database in
            print("RuralPost demo: \(county.name)")
            let applied = try await MigrationRunner(database: database).migrate()
            print("  database: ruralpost_demo, \(applied.count) migration(s) applied")
            let (admin, secret) = try await APIKeyStore(database: database).create(role: .admin, name: "demo admin", scopes: [])
            let loaded = try await DemoLoader(database: database, caller: admin).load(county)
            try await DemoSummary(database: database).print(county: county, loaded: loaded)
            print("  admin API key for this demo database: \(secret)")
        }
    }
}
