import ArgumentParser
import Foundation
import Logistics
import Persistence
import Planning
import Routing
import RuralPostCore

/// `ruralpost plan`: the planners' batch run.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Plan depot routes for a day, and commit plans.",
        subcommands: [Run.self, Commit.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Plan one depot (--depot) or every depot (--all-depots) for --date; writes draft plans.",
            discussion: """
                Reads the shipments waiting at the depot and due by the date, produce ready for collection, the points'
                opening hours and free slots that day, and the depot's vans. Several `--all-depots` processes, on any number
                of machines, share the work: each depot is claimed by exactly one worker.
                """)

        @Option(help: "Depot code.") var depot: String?
        @Flag(help: "Plan every depot that has no plan for the date yet.") var allDepots = false
        @Flag(help: "With --all-depots: plan depots again even if they already have a plan for the date.") var replan = false
        @Option(help: "Plan date, YYYY-MM-DD.") var date: String
        @Option(help: "Search time per depot, seconds.") var timeLimit: Double = 30
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: "Search iterations; makes the plan reproducible (the time limit still caps it).") var iterations: Int?
        @Option(help: "With --all-depots: planning workers in this process.") var workers: Int = 1
        @Option(help: "Travel overrides CSV: from,to,metres,seconds by location code.") var matrix: String?
        @Flag(help: "Plan on great-circle distances even where a road network covers the depot.") var greatCircle = false
        @Option(help: "Locations farther than this many metres from any road are not planned (offRoad).") var snapMax: Double = 500
        @Option(help: "Write the plan as JSON.") var out: String?
        @Option(help: "Write routes and stops as GeoJSON.") var geojson: String?
        @Option(help: "Write a self-contained HTML map.") var map: String?
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard (depot != nil) != allDepots else { throw ValidationError("give either --depot CODE or --all-depots") }
            guard CalendarDate.weekday(date) != nil else { throw ValidationError("--date must be YYYY-MM-DD") }
            guard timeLimit > 0 else { throw ValidationError("--time-limit must be > 0") }
            guard workers >= 1 else { throw ValidationError("--workers must be >= 1") }
            guard snapMax > 0, snapMax <= 50_000 else { throw ValidationError("--snap-max must be between 0 and 50000 metres") }
            if allDepots && (out != nil || geojson != nil || map != nil) {
                throw ValidationError("--out, --geojson and --map need a single --depot")
            }
        }

        /// The options as a Sendable value for the concurrent work below.
        struct Snapshot: Sendable {
            let depot: String?, date: String, timeLimit: Double, seed: UInt64, iterations: Int?, workers: Int, replan: Bool
            let out: String?, geojson: String?, map: String?, settings: PlanSettings
        }

        var settings: PlanSettings {
            var s = PlanSettings()
            s.timeLimitSeconds = timeLimit
            s.seed = seed
            s.iterations = iterations
            s.matrixFile = matrix
            s.useRoadNetwork = !greatCircle
            s.snapMaxMetres = snapMax
            return s
        }

        func run() async throws {
            let logger = db.makeLogger()
            let this = Snapshot(depot: depot, date: date, timeLimit: timeLimit, seed: seed, iterations: iterations,
                                workers: workers, replan: replan, out: out, geojson: geojson, map: map, settings: settings)
            try await db.withDatabase(logger: logger) { (database: Database) async throws -> Void in
                let planner = RoutePlanner(plans: RoutePlanStore(database: database))
                if let depot = this.depot {
                    let progress = PlanProgress(label: depot)
                    let view = try await planner.plan(depotCode: depot, date: this.date, settings: this.settings,
                                                      progress: progress.callback)
                    progress.finish()
                    PlanSummary.print(view)
                    try PlanFiles.write(view, json: this.out, geojson: this.geojson, map: this.map)
                } else {
                    let store = RoutePlanStore(database: database)
                    let queued = try await store.enqueueAll(date: this.date, timeLimitSeconds: this.timeLimit, seed: this.seed,
                                                            iterations: this.iterations, replan: this.replan)
                    print("queued \(queued) depot(s) for \(this.date)")
                    let host = ProcessInfo.processInfo.hostName
                    let pid = ProcessInfo.processInfo.processIdentifier
                    let plans = try await withThrowingTaskGroup(of: [PlanView].self) { group in
                        for w in 0..<this.workers {
                            group.addTask { try await planner.work(worker: "\(host):\(pid):\(w)", base: this.settings) }
                        }
                        return try await group.reduce(into: [PlanView]()) { $0 += $1 }
                    }
                    for view in plans.sorted(by: { $0.depot.code < $1.depot.code }) { PlanSummary.print(view) }
                    print("planned \(plans.count) depot(s) in this process")
                }
            }
        }
    }

    struct Commit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Commit a draft plan: assign its shipments to the routes.")

        @Argument(help: "Plan id.") var planId: Int64
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let planId = self.planId
            let status = try await db.withDatabase(logger: db.makeLogger()) { database in
                let caller = try await APIKeyStore(database: database).systemCaller()
                return try await RoutePlanStore(database: database).commit(planId: planId, apiKeyId: caller.keyId)
            }
            print("plan \(status.id) for \(status.depot) on \(status.date) is \(status.status)")
        }
    }
}

/// Writes the optional output files of a plan.
enum PlanFiles {
    static func write(_ view: PlanView, json: String?, geojson: String?, map: String?) throws {
        func save(_ text: String, _ path: String) throws {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            printError("wrote \(path)")
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try save(String(decoding: try encoder.encode(view), as: UTF8.self), json)
        }
        if let geojson { try save(PlanGeoJSON.render(view), geojson) }
        if let map { try save(PlanMap.html(view), map) }
    }
}
