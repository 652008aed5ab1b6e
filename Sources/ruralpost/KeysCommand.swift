import ArgumentParser
import Foundation
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost keys create|revoke`: API key administration.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create and revoke API keys.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")

        @Option(help: "admin, operator, service_centre or planner.") var role: String
        @Option(help: "A name to recognise the key by.") var name: String = ""
        @Option(help: "Limit the key to an object, as KIND:CODE (warehouse, pickup_point, depot, service_centre, merchant). Repeatable.")
        var scope: [String] = []
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            _ = try parsedScopes()
        }

        func parsedScopes() throws -> [(ScopeKind, String)] {
            try scope.map { item in
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = ScopeKind(rawValue: parts[0]), !parts[1].isEmpty else {
                    throw ValidationError("--scope \(item): expected KIND:CODE with KIND one of \(ScopeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return (kind, parts[1])
            }
        }

        func run() async throws {
            let role = Role(rawValue: role)!
            let scopes = try parsedScopes()
            let name = self.name
            let logger = db.makeLogger()
            let (caller, secret) = try await db.withDatabase(logger: logger) { database in
                try await APIKeyStore(database: database).create(role: role, name: name, scopes: scopes)
            }
            print(secret)
            let scopeText = scopes.isEmpty ? "unrestricted" : scopes.map { "\($0.0.rawValue):\($0.1)" }.joined(separator: ", ")
            printError("created \(role.rawValue) key #\(caller.keyId) (\(scopeText)); it is shown only once")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its first 10 characters.")

        @Argument(help: "The key's prefix (rp_ and 7 more characters).") var prefix: String
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let prefix = String(self.prefix.prefix(10))
            let found = try await db.withDatabase(logger: db.makeLogger()) { database in
                try await APIKeyStore(database: database).revoke(prefix: prefix)
            }
            guard found else { throw CommandFailure("no active key starts with \(prefix)") }
            print("revoked \(prefix)")
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
