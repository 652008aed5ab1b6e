import Crypto
import Foundation
import RuralPostCore
import Persistence

/// `ruralpost roads import`: an OpenStreetMap extract becomes the active road network.
/// Steps: osmium keeps the drivable ways and inlines node locations (``OSMExtract``),
/// the ways are split at junctions into a graph with travel times (``RoadGraph``), and
/// the graph is loaded in one transaction (``RoadNetworkStore/load``). Any failure
/// (unreadable, corrupt or empty file, no drivable road, database error) imports nothing
/// and leaves the previous network active.
public struct RoadImporter: Sendable {
    let database: Database
    let speeds: RoadSpeeds

    public init(database: Database, speeds: RoadSpeeds = .defaults) {
        self.database = database
        self.speeds = speeds
    }

    /// Why an import was refused; nothing was imported.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What an import loaded.
    public struct Summary: Sendable {
        public let network: RoadNetworkStore.Network
        public let waysRead: Int
        public let waysDrivable: Int
        public let kilometresByClass: [(roadClass: String, km: Double)]
        public let oneWayEdges: Int
        public let speedsFromTags: Int
        /// Strongly connected components, and the share of nodes in the largest.
        public let strongComponents: Int
        public let mainComponentShare: Double
        public let seconds: Double

        /// The summary as printed by the command.
        public var lines: [String] {
            let km = network.lengthM / 1000
            var out = [
                "road network v\(network.version) from \(network.sourceName) (sha256 \(network.sourceSha256.prefix(12)))",
                "  ways:        \(waysRead) highway ways read, \(waysDrivable) drivable",
                "  nodes:       \(network.nodes)",
                "  edges:       \(network.edges) (\(oneWayEdges) one-way, \(speedsFromTags) with a maxspeed tag)",
                String(format: "  length:      %.1f km", km),
                String(format: "  components:  %d connected; %d strongly connected (one-way rules kept), the largest with %.1f%% of the nodes",
                       network.components, strongComponents, mainComponentShare * 100),
                "  by class:",
            ]
            for (roadClass, km) in kilometresByClass {
                out.append("    " + roadClass.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%9.1f km", km))
            }
            out.append(String(format: "  imported in %.2f s", seconds))
            return out
        }
    }

    /// Imports the extract at `path`; `progress` gets a short line per step.
    public func importFile(_ path: String, progress: (@Sendable (String) -> Void)? = nil) async throws -> Summary {
        let started = ContinuousClock.now
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ruralpost-roads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        progress?("reading \((path as NSString).lastPathComponent) with osmium")
        let opl = work.appendingPathComponent("drivable.opl").path
        do {
            try OSMExtract(input: absolute).drivableWays(classes: Array(speeds.kmh.keys), output: opl, workDirectory: work.path)
        } catch let failure as OSMExtract.Failure {
            throw Failure(description: failure.description)
        }
        let sha = try Self.sha256(of: absolute)

        var builder = RoadGraph.Builder(speeds: speeds)
        let oplSize = (try? FileManager.default.attributesOfItem(atPath: opl)[.size] as? NSNumber)?.intValue ?? 0
        do {
            var ways = 0
            try OPLWayReader(path: opl).forEachWay(progress: { bytes in
                if oplSize > 0 { progress?("parsing ways \(bytes * 100 / max(oplSize, 1))%") }
            }) { way in
                builder.add(way)
                ways += 1
            }
        } catch let error as OPLWayReader.FormatError {
            throw Failure(description: "\(path): \(error.description)")
        }
        progress?("building the graph")
        let graph = builder.build()
        guard !graph.edges.isEmpty else {
            throw Failure(description: "\(path) holds no drivable road (\(graph.waysRead) highway ways, none a road class of the speed table)")
        }
        let store = RoadNetworkStore(database: database)
        let network = try await store.load(graph, sourceName: (path as NSString).lastPathComponent, sourceSha256: sha,
                                           speeds: speeds, started: started, progress: progress)
        let mainSize = graph.nodes.filter { $0.strongComponent == graph.mainComponent }.count
        return Summary(
            network: network, waysRead: graph.waysRead, waysDrivable: graph.waysDrivable,
            kilometresByClass: graph.kilometresByClass, oneWayEdges: graph.edges.filter { $0.forwardS == nil || $0.backwardS == nil }.count,
            speedsFromTags: graph.edges.filter(\.speedFromTag).count, strongComponents: graph.strongComponents,
            mainComponentShare: graph.nodes.isEmpty ? 0 : Double(mainSize) / Double(graph.nodes.count),
            seconds: (ContinuousClock.now - started).seconds)
    }

    /// SHA-256 of a file, read in blocks.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let block = handle.readData(ofLength: 1 << 20)
            if block.isEmpty { break }
            hasher.update(data: block)
        }
        return Hex.string(hasher.finalize())
    }
}
