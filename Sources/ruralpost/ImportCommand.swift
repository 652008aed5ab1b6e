import ArgumentParser
import Foundation
import Logistics
import Persistence
import RuralPostCore

/// `ruralpost import KIND FILE.csv`: bulk import of master data, stock and orders.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file (header row required).",
        discussion: """
            Master data and stock are all-or-nothing: every bad row is reported by line number and nothing is written.
            Columns (optional in brackets):
              skus           code,merchant,name,grams,cm3,category[,cold_chain]
              stock          warehouse,sku,qty[,reason]        (adds qty to on-hand stock)
              pickup-points  code,name,kind,lat,lon,service_centre,slot_capacity,hold_days,opening_hours[,depot,extension_days]
                             opening_hours like "mon-fri 08:00-12:00,14:00-18:00; sat 09:00-12:00"
              vehicles       code,depot,kind,capacity_grams,capacity_cm3,shift_start,shift_end[,fixed_cost_fen,per_km_fen,refrigerated,max_trips]
            Orders go through order intake one by one, each idempotent under its key (re-running a file creates nothing twice):
              orders         key,merchant,channel,recipient_name,recipient_phone,sku,qty[,pickup_point,address,lat,lon,priority,allow_partial]
                             rows sharing a key are the lines of one order; pickup_point for self-pickup, else address+lat+lon
            """)

    @Argument(help: "What the file holds: \((ImportKind.allCases.map(\.rawValue) + ["orders"]).joined(separator: ", ")).")
    var kind: String
    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard kind == "orders" || ImportKind(rawValue: kind) != nil else {
            throw ValidationError("unknown kind \(kind); expected \((ImportKind.allCases.map(\.rawValue) + ["orders"]).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure("cannot read \(file): \(error.localizedDescription)")
        }
        do {
            if let kind = ImportKind(rawValue: kind) {
                let report = try await db.withDatabase(logger: db.makeLogger()) { database in
                    try await CSVImporter(database: database).importCSV(kind, data: data)
                }
                print("imported \(report.rows) \(kind.rawValue) rows in \(String(format: "%.2f", report.seconds)) s")
            } else {
                try await importOrders(try OrderCSV.parse(data))
            }
        } catch let rejected as CSVImporter.Rejected {
            throw CommandFailure("\(file): nothing imported\n\(rejected.description)")
        }
    }

    func importOrders(_ entries: [OrderCSV.Entry]) async throws {
        let file = self.file
        let failures = try await db.withDatabase(logger: db.makeLogger()) { database -> Int in
            let caller = try await APIKeyStore(database: database).systemCaller()
            let service = OrderService(database: database)
            var created = 0, replayed = 0, failed = 0
            for entry in entries {
                do {
                    let response = try await service.submit(entry.order, idempotencyKey: "csv:" + entry.key, caller: caller)
                    if response.replayed { replayed += 1 } else { created += 1 }
                } catch let error as DomainError {
                    failed += 1
                    printError("\(file) line \(entry.line), order \(entry.key): \(error.description)")
                }
            }
            print("orders: \(created) created, \(replayed) already imported, \(failed) failed")
            return failed
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
