import API
import ArgumentParser
import Foundation
import Storage

/// `ruralpost serve`: the HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP API (migrates the database first).")

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8080
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let logger = db.makeLogger()
        let settings = try await DatabaseSettings.resolve(dataDirectory: URL(fileURLWithPath: db.dataDir), logger: logger)
        defer { settings.shutdown() }
        let built = try buildApplication(
            settings: settings, config: AppConfig(host: host, port: port), logger: logger,
            onServerRunning: { port in logger.notice("ruralpost listening", metadata: ["port": "\(port)"]) })
        try await built.application.runService()
    }
}
