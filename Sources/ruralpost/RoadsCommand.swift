import ArgumentParser
import Foundation
import RuralPostCore
import Logistics
import Persistence

/// `ruralpost roads`: the road network plans are computed on (docs/roads.md).
struct RoadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roads", abstract: "Import and inspect the road network (OpenStreetMap).",
        subcommands: [Import.self, Show.self, Speeds.self, Matrix.self, DemoCountyRoads.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the drivable roads of an OpenStreetMap extract (.osm.pbf or .osm) as the road network.",
            discussion: """
                All or nothing: on any error nothing is imported and the previous network stays active. Speeds come from
                the road-class table (`ruralpost roads speeds` prints it; edit and pass it with --speeds); a way's maxspeed
                tag wins. Needs osmium-tool and a PostgreSQL with PostGIS and pgRouting (`make` installs them).
                """)

        @Argument(help: "The extract: FILE.osm.pbf or FILE.osm.") var file: String
        @Option(help: "Speed table CSV: road_class,kmh (classes not listed keep their default; 0 removes a class).") var speeds: String?
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            var table = RoadSpeeds.defaults
            if let speeds {
                guard let data = FileManager.default.contents(atPath: speeds) else { throw CommandFailure("cannot read \(speeds)") }
                do {
                    table = try RoadSpeeds.parse(csv: data, name: speeds)
                } catch let error as DomainError {
                    throw CommandFailure(error.description)
                }
            }
            let (file, chosen) = (self.file, table)
            let line = ProgressLine()
            do {
                let summary = try await db.withDatabase(logger: db.makeLogger()) { database in
                    try await RoadImporter(database: database, speeds: chosen).importFile(file, progress: line.callback)
                }
                line.finish()
                summary.lines.forEach { print($0) }
            } catch let failure as RoadImporter.Failure {
                line.finish()
                throw CommandFailure("nothing imported, the previous road network is unchanged: \(failure.description)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the active road network.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await db.withDatabase(logger: db.makeLogger()) { database in
                let store = RoadNetworkStore(database: database)
                guard let network = try await store.active() else {
                    print("no road network: plans use great-circle distances (import one with `ruralpost roads import FILE.osm.pbf`)")
                    return
                }
                print("road network v\(network.version) from \(network.sourceName), imported \(network.importedAt)")
                print(String(format: "  %d nodes, %d edges, %.1f km, %d components", network.nodes, network.edges,
                             network.lengthM / 1000, network.components))
                for (roadClass, km) in try await store.kilometresByClass(version: network.version) {
                    print("    " + roadClass.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%9.1f km", km))
                }
            }
        }
    }

    struct Speeds: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the default speed table (road_class,kmh) as CSV.")

        func run() {
            print(RoadSpeeds.defaults.csv, terminator: "")
        }
    }
}

extension RoadsCommand {
    struct Matrix: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Travel matrix between locations on the active network, as a --matrix file.",
            discussion: """
                Reads code,lat,lon rows (header optional), snaps each location to its nearest road, and writes
                from,to,metres,seconds for every reachable ordered pair: the file `ruralpost plan --matrix` reads. Locations
                farther than --snap-max from any road, and pairs with no path, are reported on standard error, not written.
                """)

        @Argument(help: "Locations CSV: code,lat,lon.") var locations: String
        @Option(help: "Write the matrix here (default: standard output).") var out: String?
        @Option(help: "Snapping limit, metres.") var snapMax: Double = 500
        @Flag(help: "Compute again even if the cache holds this matrix.") var noCache = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: locations) else { throw CommandFailure("cannot read \(locations)") }
            var codes: [String] = [], points: [GeoPoint] = []
            for record in try CSVReader(data: data).records() {
                let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if record.line == 1 && f.first?.lowercased() == "code" { continue }
                guard f.count == 3, let lat = Double(f[1]), let lon = Double(f[2]), GeoPoint(lat: lat, lon: lon).isValid else {
                    throw CommandFailure("\(locations) line \(record.line): expected code,lat,lon")
                }
                codes.append(f[0])
                points.append(GeoPoint(lat: lat, lon: lon))
            }
            guard !points.isEmpty else { throw CommandFailure("\(locations): no locations") }
            let (snapMax, useCache, allPoints) = (self.snapMax, !noCache, points)
            let (matrix, snaps, version) = try await db.withDatabase(logger: db.makeLogger()) { database in
                let store = RoadNetworkStore(database: database)
                guard let network = try await store.active() else { throw CommandFailure("no road network: run `ruralpost roads import` first") }
                let snaps = try await store.snap(version: network.version, allPoints, maxMetres: snapMax)
                return (try await store.matrix(version: network.version, snaps: snaps, useCache: useCache), snaps, network.version)
            }
            var text = "from,to,metres,seconds\n", unreachable = 0
            for i in codes.indices where snaps[i] != nil {
                for j in codes.indices where i != j && snaps[j] != nil {
                    let k = i * codes.count + j
                    if matrix.metres[k] < 0 { unreachable += 1; continue }
                    text += "\(codes[i]),\(codes[j]),\(matrix.metres[k]),\(matrix.seconds[k])\n"
                }
            }
            if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
            let off = codes.indices.filter { snaps[$0] == nil }.map { codes[$0] }
            printError(String(format: "network v%lld: %d locations, %d snapped, %d off-road%@; %d ordered pairs without a path; matrix %.3f s%@",
                              version, codes.count, codes.count - off.count, off.count,
                              off.isEmpty ? "" : " (\(off.prefix(10).joined(separator: ", "))\(off.count > 10 ? ", ..." : ""))",
                              unreachable, matrix.computeSeconds, matrix.cached ? " (from the cache)" : ""))
        }
    }

    struct DemoCountyRoads: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-county",
            abstract: "Write the demo county's road network (OpenStreetMap XML) and the locations of its day.")

        @Option(help: "Seed of the county generator.") var seed: UInt64 = 1
        @Option(help: "Orders in the day (home deliveries get their own lanes).") var orders: Int = 2200
        @Option(help: "Write the road network here (.osm).") var osm: String
        @Option(help: "Write code,lat,lon of the depot, every pickup point and every home address here.") var locations: String?

        func run() throws {
            let county = DemoCounty.generate(seed: seed, orders: orders)
            try DemoRoads.osmXML(for: county, seed: seed).write(toFile: osm, atomically: true, encoding: .utf8)
            if let locations {
                var text = "code,lat,lon\n\(county.depot.code),\(county.depot.location.lat),\(county.depot.location.lon)\n"
                for p in county.pickupPoints { text += "\(p.place.code),\(p.place.location.lat),\(p.place.location.lon)\n" }
                var seen: Set<GeoPoint> = []
                for (n, order) in county.orders.enumerated() where order.pickupPoint == nil && seen.insert(order.location).inserted {
                    text += "home:\(n + 1),\(order.location.lat),\(order.location.lon)\n"
                }
                try text.write(toFile: locations, atomically: true, encoding: .utf8)
            }
        }
    }
}

/// A one-line progress display on a terminal (standard error) for step messages.
final class ProgressLine: @unchecked Sendable {
    let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()

    /// The callback, or nil when standard error is not a terminal.
    var callback: (@Sendable (String) -> Void)? {
        guard isTerminal else { return nil }
        return { [self] text in
            lock.lock()
            defer { lock.unlock() }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
