import API
import ArgumentParser
import Foundation
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost serve`: the HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP API (migrates the database first).")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8080
    @Option(help: "PostgreSQL connections in the pool (default: 4 per core, at least 8).")
    var dbConnections: Int = AppConfig.defaultDatabaseConnections
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard (2...500).contains(dbConnections) else { throw ValidationError("--db-connections must be between 2 and 500") }
    }

    func run() async throws {
        let logger = db.makeLogger()
        let settings = try await DatabaseSettings.resolve(dataDirectory: URL(fileURLWithPath: db.dataDir), logger: logger)
        defer { settings.shutdown() }
        var config = AppConfig(host: host, port: port)
        config.databaseConnections = dbConnections
        let built = try buildApplication(
            settings: settings, config: config, logger: logger,
            onServerRunning: { port in logger.notice("ruralpost listening", metadata: ["port": "\(port)"]) })
        try await built.application.runService()
    }
}
