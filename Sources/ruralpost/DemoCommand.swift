import ArgumentParser
import Foundation
import Logging
import Logistics
import Persistence
import Planning
import RuralPostCore

/// `ruralpost demo`: the whole flow on a generated county, in its own database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a demo county into a fresh database (ruralpost_demo) and run the whole flow.",
        discussion: """
            Loads the county (depot, warehouses, pickup points, vans, SKUs, stock), submits the day's orders through
            order intake, moves the shipments to the depot, registers produce collections,
            writes the county's road network as demo-out/county-roads.osm and imports it (as `ruralpost roads import` does), plans
            the depot's routes on those roads, commits the plan, and writes demo-out/plan.html (open it in a browser, offline),
            plan.geojson and plan.json.
            """)

    @Option(help: "Seed of the county generator and the route search.") var seed: UInt64 = 1
    @Option(help: "Orders in the day's intake.") var orders: Int = 2200
    @Option(help: "Route search time, seconds.") var timeLimit: Double = 30
    @Option(help: "Output folder.") var out: String = "demo-out"
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let logger = db.makeLogger()
        let county = DemoCounty.generate(seed: seed, orders: orders)
        let settings = try await DatabaseSettings.resolve(dataDirectory: URL(fileURLWithPath: db.dataDir), logger: logger)
        defer { settings.shutdown() }
        let demoSettings = try await settings.recreatingDatabase(named: "ruralpost_demo", logger: logger)
        let (seed, timeLimit, out) = (self.seed, self.timeLimit, self.out)
        try await Database.with(demoSettings, logger: logger) { (database: Database) async throws -> Void in
            print("RuralPost demo: \(county.name)")
            let applied = try await MigrationRunner(database: database).migrate()
            print("  database ruralpost_demo: \(applied.count) migrations applied")
            let caller = try await APIKeyStore(database: database).systemCaller()
            let loaded = try await DemoLoader(database: database, caller: caller).load(county)
            let census = DemoCensusStore(database: database)
            DemoSummary.print(county: county, census: try await census.census())

            // The county's roads, written as an OpenStreetMap file and loaded like any extract.
            let roadsFile = URL(fileURLWithPath: out).appendingPathComponent("county-roads.osm")
            try FileManager.default.createDirectory(at: roadsFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try DemoRoads.osmXML(for: county, seed: seed).write(to: roadsFile, atomically: true, encoding: .utf8)
            let roadsLine = ProgressLine()
            let roads = try await RoadImporter(database: database).importFile(roadsFile.path, progress: roadsLine.callback)
            roadsLine.finish()
            print(String(format: "  road network:     v%lld from %@: %d nodes, %d edges, %.1f km, %d component(s), imported in %.2fs",
                         roads.network.version, roadsFile.path, roads.network.nodes, roads.network.edges,
                         roads.network.lengthM / 1000, roads.network.components, roads.seconds))

            let started = ContinuousClock.now
            let intake = DemoIntake(database: database, caller: caller)
            let stats = try await intake.submitOrders(county.orders, seed: seed)
            print(String(format: "  orders:           %d submitted in %.1fs: %d accepted, %d partially filled, %d backordered, %d refused; %d split over 2+ warehouses",
                         county.orders.count, (ContinuousClock.now - started).seconds, stats.accepted, stats.partial, stats.backordered,
                         stats.refused, stats.split))
            // Parcels from the prefecture's warehouse come on the line-haul truck mid-morning.
            let planDate = try await census.planDate()
            let lineHaul = try await census.moment(date: planDate, clock: DemoCounty.lineHaulArrival)
            let moved = try await intake.moveToDepot(lineHaulWarehouse: county.lineHaulWarehouse, lineHaulArrival: lineHaul)
            let collections = try await intake.registerCollections(county, pointIds: loaded.pickupPoints, readyDate: planDate)
            let parcels = try await census.parcels()
            print("  shipments:        \(moved.atDepot) picked, packed, dispatched and at the depot, \(moved.onLineHaul) on the line-haul "
                  + "from \(county.lineHaulWarehouse) due at \(DemoCounty.lineHaulArrival) (\(parcels) parcels); \(collections) produce collections")

            var planSettings = PlanSettings()
            planSettings.timeLimitSeconds = timeLimit
            planSettings.seed = seed
            let progress = PlanProgress(label: "planning \(county.depot.code)")
            let view = try await RoutePlanner(plans: RoutePlanStore(database: database)).plan(
                depotCode: county.depot.code, date: planDate, settings: planSettings,
                progress: progress.callback)
            progress.finish()
            PlanSummary.print(view)
            let committed = try await RoutePlanStore(database: database).commit(planId: view.planId!, apiKeyId: caller.keyId)
            print("  plan #\(committed.id) \(committed.status)")
            let dir = URL(fileURLWithPath: out)
            try PlanFiles.write(view, json: dir.appendingPathComponent("plan.json").path,
                                geojson: dir.appendingPathComponent("plan.geojson").path,
                                map: dir.appendingPathComponent("plan.html").path)
            let check = try await InventoryCheck(database: database).run()
            print("  inventory check:  \(check.problems.isEmpty ? "consistent" : "\(check.problems.count) problem(s)") over \(check.rows) stock rows")
            print("  map: \(dir.appendingPathComponent("plan.html").path) (open it in a browser; it works offline)")
            if !check.problems.isEmpty { throw ExitCode(1) }
        }
    }
}
