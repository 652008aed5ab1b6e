import ArgumentParser
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost pickups expire|remind`: the hold-period work the server also does
/// periodically, for cron or for running by hand.
struct PickupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pickups", abstract: "Pickup-point maintenance.", subcommands: [Expire.self, Remind.self])

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return parcels whose hold has ended: free their slots, create return shipments to the origin warehouses, notify.")

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let returned = try await db.withDatabase(logger: db.makeLogger()) { database in
                let caller = try await APIKeyStore(database: database).systemCaller()
                return try await PickupService(database: database, secrets: PickupSecrets(database: database)).expire(caller: caller)
            }
            print("pickups expire: \(returned) parcel(s) returned")
        }
    }

    struct Remind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue reminders for waiting parcels whose hold ends within a day.")

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let reminded = try await db.withDatabase(logger: db.makeLogger()) { database in
                let caller = try await APIKeyStore(database: database).systemCaller()
                return try await PickupService(database: database, secrets: PickupSecrets(database: database)).remind(caller: caller)
            }
            print("pickups remind: \(reminded) reminder(s) queued")
        }
    }
}
