import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Hold expiry outside a request: the server's periodic task and `ruralpost pickups expire`.
@Suite struct PickupMaintenanceTests {
    @Test func theServerReturnsOverdueParcelsPeriodically() async throws {
        var config = PickupConfig.fast()
        config.workers.maintenanceEnabled = true
        config.workers.maintenanceInterval = .milliseconds(200)
        try await TestApp.run(config: config) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            #expect(try await world.arrive([PickupWorld.foreign("SF1")]).status == 201)
            try await world.endHolds()
            var counter: [String: Any] = [:]
            for _ in 0..<200 {
                counter = try await world.counter()
                if counter.int("returnedThisWeek") == 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(counter.int("returnedThisWeek") == 1)
            #expect(counter.int("freeSlots") == 50)
            // A foreign parcel goes back to its carrier: a return shipment without a warehouse.
            let rows = try await app.database.query(
                "SELECT kind, carrier, warehouse_id IS NULL FROM shipments WHERE returns_shipment_id IS NOT NULL")
            for try await (kind, carrier, noWarehouse) in rows.decode((String, String, Bool).self) {
                #expect(kind == "return" && carrier == "sf-express" && noWarehouse)
            }
        }
    }

    @Test func theCommandLineReturnsOverdueParcels() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the ruralpost product first")
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            #expect(try await world.arrive([PickupWorld.foreign("SF1"), PickupWorld.foreign("SF2", phone: "13800000002")]).status == 201)
            try await world.endHolds()
            let c = TestCluster.configurationOf(app)
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = "postgres://\(c.username)@\(c.host ?? "127.0.0.1"):\(c.port ?? 5432)/\(c.database ?? "")?sslmode=disable"
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("pickups-expire-\(UUID().uuidString).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            let pid = try Subprocess.spawn(CrashRecoveryTests.binary, ["pickups", "expire", "--log-level", "warning"],
                                           environment: environment, outputPath: log)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "\(output)")
            #expect(output.contains("2 parcel(s) returned"), "\(output)")
            #expect(try await world.counter().int("returnedThisWeek") == 2)
        }
    }
}
