import ArgumentParser
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost inventory check`: stock reconciliation.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory", abstract: "Stock maintenance.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that ledger sums equal stock levels, nothing is negative, and every reservation belongs to a live shipment. Exit 1 if not.")

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let (problems, rows) = try await db.withDatabase(logger: db.makeLogger()) { database in
                try await InventoryCheck(database: database).run()
            }
            if problems.isEmpty {
                print("inventory check: \(rows) warehouse x SKU rows, all consistent")
                return
            }
            print("inventory check: \(problems.count) problem(s) in \(rows) rows")
            for problem in problems { print("  \(problem)") }
            throw ExitCode(1)
        }
    }
}
