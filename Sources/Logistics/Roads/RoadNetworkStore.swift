import Crypto
import Foundation
import Persistence
import Logging
import PostgresNIO
import RuralPostCore

/// The road network in PostgreSQL (`road_networks`, `road_nodes`, `road_edges`,
/// `road_matrix_cache`; sql/0006): loading an imported graph as a new version, and
/// the queries planning runs on it (snapping, travel matrix, leg geometry) through
/// the SQL functions of the migration, which call pgRouting.
public struct RoadNetworkStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The active network.
    public struct Network: Sendable, Equatable, Codable {
        public let version: Int64
        public let sourceName: String
        public let sourceSha256: String
        public let nodes: Int
        public let edges: Int
        public let lengthM: Double
        public let components: Int
        public let importedAt: String
    }

    /// A location attached to the network: a point on edge `edgeId` at `fraction` of
    /// its length from the source, `distanceM` from the location.
    public struct Snap: Sendable, Equatable {
        public let edgeId: Int64
        public let fraction: Double
        public let distanceM: Double
        public let lon: Double
        public let lat: Double
    }

    // MARK: - Import

    /// Loads `graph` as a new network version and makes it the active one, in one
    /// transaction: on any failure the previous network stays active and untouched.
    /// An advisory lock makes concurrent imports wait for each other.
    public func load(_ graph: RoadGraph, sourceName: String, sourceSha256: String, speeds: RoadSpeeds,
                     started: ContinuousClock.Instant, progress: (@Sendable (String) -> Void)? = nil) async throws -> Network {
        let logger = database.logger
        let speedsJSON = String(decoding: try JSONEncoder().encode(speeds.kmh), as: UTF8.self)
        return try await database.transaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Int64(0x52_50_52_4F_41_44)))", logger: logger)  // "RPROAD"
            var version: Int64 = 0
            for try await v in try await conn.query("""
                INSERT INTO road_networks (status, source_name, source_sha256, speeds, nodes, edges, length_m, components, main_component)
                VALUES ('loading', \(sourceName), \(sourceSha256), \(speedsJSON)::jsonb, \(graph.nodes.count), \(graph.edges.count),
                        \(graph.totalLengthM), \(graph.components), \(graph.mainComponent))
                RETURNING version
                """, logger: logger).decode(Int64.self) { version = v }

            progress?("loading \(graph.nodes.count) nodes")
            try await conn.copyFrom(table: "road_nodes", columns: ["network_version", "id", "osm_id", "component", "strong_component", "geom"],
                                    logger: logger) { writer in
                var buffer = ByteBuffer()
                for node in graph.nodes {
                    buffer.writeString("\(version)\t\(node.id)\t\(node.osmId)\t\(node.component)\t\(node.strongComponent)\t")
                    buffer.writeString("SRID=4326;POINT(\(node.lon) \(node.lat))\n")
                    if buffer.readableBytes > 1 << 18 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            progress?("loading \(graph.edges.count) edges")
            try await conn.copyFrom(table: "road_edges", columns: [
                "network_version", "id", "source", "target", "osm_way_id", "road_class", "name", "length_m", "speed_kmh",
                "speed_from_tag", "forward_s", "backward_s", "strong_component", "geom",
            ], logger: logger) { writer in
                var buffer = ByteBuffer()
                for edge in graph.edges {
                    let line = edge.coordinates.map { "\($0.lon) \($0.lat)" }.joined(separator: ",")
                    buffer.writeString("\(version)\t\(edge.id)\t\(edge.source)\t\(edge.target)\t\(edge.wayId)\t\(Self.copyText(edge.roadClass))\t")
                    buffer.writeString("\(edge.name.map(Self.copyText) ?? "\\N")\t\(edge.lengthM)\t\(edge.speedKmh)\t\(edge.speedFromTag)\t")
                    buffer.writeString("\(edge.forwardS.map { "\($0)" } ?? "\\N")\t\(edge.backwardS.map { "\($0)" } ?? "\\N")\t")
                    buffer.writeString("\(edge.strongComponent)\tSRID=4326;LINESTRING(\(line))\n")
                    if buffer.readableBytes > 1 << 18 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            progress?("indexing")
            try await conn.query("""
                UPDATE road_networks SET extent = (SELECT ST_ConvexHull(ST_Collect(geom)) FROM road_nodes WHERE network_version = \(version))
                WHERE version = \(version)
                """, logger: logger)
            // The previous network goes only now, with its nodes, edges and cached matrices.
            try await conn.query("DELETE FROM road_networks WHERE status = 'active'", logger: logger)
            let seconds = (ContinuousClock.now - started).seconds
            try await conn.query("""
                UPDATE road_networks SET status = 'active', import_seconds = \(seconds) WHERE version = \(version)
                """, logger: logger)
            try await conn.query("ANALYZE road_edges", logger: logger)
            return try await Self.active(conn, logger: logger)!
        }
    }

    /// Text for a COPY text-format field: backslash, tab and line breaks escaped.
    static func copyText(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    // MARK: - Reading

    /// The active network, or nil when none was imported.
    public func active() async throws -> Network? {
        try await database.withConnection { try await Self.active($0, logger: database.logger) }
    }

    static func active(_ conn: PostgresConnection, logger: Logger) async throws -> Network? {
        for try await row in try await conn.query("""
            SELECT version, source_name, source_sha256, nodes, edges, length_m, components,
                   to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM road_networks WHERE status = 'active'
            """, logger: logger).decode((Int64, String, String, Int32, Int32, Double, Int32, String).self)
        {
            return Network(version: row.0, sourceName: row.1, sourceSha256: row.2, nodes: Int(row.3), edges: Int(row.4),
                           lengthM: row.5, components: Int(row.6), importedAt: row.7)
        }
        return nil
    }

    /// Kilometres of road per class in the active network, longest first.
    public func kilometresByClass(version: Int64) async throws -> [(roadClass: String, km: Double)] {
        var out: [(String, Double)] = []
        for try await (roadClass, km) in try await database.query("""
            SELECT road_class, sum(length_m) / 1000 FROM road_edges WHERE network_version = \(version)
            GROUP BY road_class ORDER BY 2 DESC, 1
            """).decode((String, Double).self) { out.append((roadClass, km)) }
        return out
    }

    /// Whether `point` lies inside the network's extent (the convex hull of its nodes).
    public func covers(version: Int64, _ point: GeoPoint) async throws -> Bool {
        for try await inside in try await database.query("""
            SELECT coalesce(ST_Covers(extent, ST_SetSRID(ST_MakePoint(\(point.lon), \(point.lat)), 4326)), false)
            FROM road_networks WHERE version = \(version)
            """).decode(Bool.self) { return inside }
        return false
    }

    // MARK: - Planning queries

    /// Snaps each point to the nearest drivable edge (see `road_snap`): a point in the
    /// main component within `maxMetres` if there is one among the nearest edges.
    /// nil for a point farther than `maxMetres` from every road.
    public func snap(version: Int64, _ points: [GeoPoint], maxMetres: Double) async throws -> [Snap?] {
        var snaps = [Snap?](repeating: nil, count: points.count)
        guard !points.isEmpty else { return snaps }
        for try await (idx, edge, fraction, distance, lon, lat) in try await database.query("""
            SELECT idx, edge_id, fraction, distance_m, snapped_lon, snapped_lat
            FROM road_snap(\(version), \(points.map(\.lon))::float8[], \(points.map(\.lat))::float8[], \(maxMetres))
            """).decode((Int32, Int64, Double, Double, Double, Double).self)
        {
            guard distance <= maxMetres else { continue }
            snaps[Int(idx) - 1] = Snap(edgeId: edge, fraction: fraction, distanceM: distance, lon: lon, lat: lat)
        }
        return snaps
    }

    /// A travel matrix between snapped locations: `metres[i*n+j]`, `seconds[i*n+j]`,
    /// -1 where no path leads from i to j (or i or j is not snapped).
    public struct Matrix: Sendable, Equatable {
        public let count: Int
        public var metres: [Int64]
        public var seconds: [Int64]
        /// Whether it came from the cache.
        public var cached = false
        public var computeSeconds = 0.0

        public init(count: Int, metres: [Int64], seconds: [Int64]) {
            self.count = count
            self.metres = metres
            self.seconds = seconds
        }

        public func reachable(_ i: Int, _ j: Int) -> Bool { metres[i * count + j] >= 0 }
    }

    /// The fastest-path matrix among `snaps` (pgRouting's many-to-many `pgr_dijkstraCost`
    /// on the network with the snapped points spliced in, in row ranges computed
    /// concurrently), from the cache when this
    /// network version already computed it for the same locations (unless `useCache`
    /// is false: then it is computed again, and stored).
    public func matrix(version: Int64, snaps: [Snap?], useCache: Bool = true) async throws -> Matrix {
        let n = snaps.count
        let key = Self.cacheKey(snaps)
        if useCache, let cached = try await cachedMatrix(version: version, key: key, count: n) { return cached }
        guard snaps.contains(where: { $0 != nil }) else {
            return Matrix(count: n, metres: .init(repeating: -1, count: n * n), seconds: .init(repeating: -1, count: n * n))
        }
        let started = ContinuousClock.now
        let (edges, fractions) = Self.arrays(snaps)
        // Row ranges on separate connections: one Dijkstra per source row, so rows split
        // across the database's cores (a few chunks more than cores keeps them busy).
        let chunks = n >= 64 ? 6 : 1
        let rows = (n + chunks - 1) / chunks
        let database = self.database
        let parts = try await withThrowingTaskGroup(of: (Int, ByteBuffer).self) { group in
            for chunk in 0..<chunks where chunk * rows < n {
                let first = Int32(chunk * rows + 1), last = Int32(min(n, (chunk + 1) * rows))
                group.addTask {
                    for try await value in try await database.query("""
                        SELECT road_matrix_bytes(\(version), \(edges)::bigint[], \(fractions)::float8[], \(first), \(last))
                        """).decode(ByteBuffer.self) { return (chunk, value) }
                    throw DomainError.internalError("road_matrix_bytes returned nothing")
                }
            }
            var parts: [Int: ByteBuffer] = [:]
            for try await (chunk, value) in group { parts[chunk] = value }
            return parts
        }
        var bytes = ByteBuffer()
        bytes.reserveCapacity(n * n * 16)
        for chunk in parts.keys.sorted() {
            var part = parts[chunk]!
            bytes.writeBuffer(&part)
        }
        var matrix = Self.decode(bytes, count: n)
        matrix.computeSeconds = (ContinuousClock.now - started).seconds
        try await database.query("""
            INSERT INTO road_matrix_cache (network_version, locations_sha256, locations, matrix, compute_seconds)
            VALUES (\(version), \(key), \(n), \(bytes), \(matrix.computeSeconds))
            ON CONFLICT (network_version, locations_sha256)
            DO UPDATE SET matrix = EXCLUDED.matrix, locations = EXCLUDED.locations, compute_seconds = EXCLUDED.compute_seconds,
                          last_used_at = now()
            """)
        // Matrices not used for a month are not worth their space.
        try await database.query("DELETE FROM road_matrix_cache WHERE last_used_at < now() - interval '30 days'")
        return matrix
    }

    private func cachedMatrix(version: Int64, key: String, count n: Int) async throws -> Matrix? {
        for try await (buffer, seconds) in try await database.query("""
            UPDATE road_matrix_cache SET last_used_at = now()
            WHERE network_version = \(version) AND locations_sha256 = \(key) AND locations = \(n)
            RETURNING matrix, compute_seconds
            """).decode((ByteBuffer, Double).self)
        {
            var matrix = Self.decode(buffer, count: n)
            matrix.cached = true
            matrix.computeSeconds = seconds
            return matrix
        }
        return nil
    }

    /// The road geometry of each leg `from -> to` (0-based location numbers), as
    /// (lon, lat) from the snapped start to the snapped end, simplified to about 2 m.
    public func legPaths(version: Int64, snaps: [Snap?], legs: [(from: Int, to: Int)]) async throws -> [Leg: [(lon: Double, lat: Double)]] {
        var paths: [Leg: [(lon: Double, lat: Double)]] = [:]
        let wanted = legs.filter { $0.from != $0.to && snaps[$0.from] != nil && snaps[$0.to] != nil }
        guard !wanted.isEmpty else { return paths }
        let (edges, fractions) = Self.arrays(snaps)
        let starts: [Int32] = wanted.map { Int32($0.from + 1) }, ends: [Int32] = wanted.map { Int32($0.to + 1) }
        for try await (from, to, geojson) in try await database.query("""
            SELECT from_idx, to_idx, ST_AsGeoJSON(ST_Simplify(geom, 0.00002), 6)
            FROM road_leg_paths(\(version), \(edges)::bigint[], \(fractions)::float8[], \(starts)::integer[], \(ends)::integer[])
            """).decode((Int32, Int32, String).self)
        {
            struct Line: Decodable { let coordinates: [[Double]] }
            let line = try JSONDecoder().decode(Line.self, from: Data(geojson.utf8))
            paths[Leg(from: Int(from) - 1, to: Int(to) - 1)] = line.coordinates.compactMap { $0.count >= 2 ? ($0[0], $0[1]) : nil }
        }
        return paths
    }

    /// A directed pair of location numbers.
    public struct Leg: Hashable, Sendable {
        public let from: Int
        public let to: Int

        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }
    }

    /// The snaps as the SQL functions take them: edge ids (0 = not snapped) and fractions.
    static func arrays(_ snaps: [Snap?]) -> (edges: [Int64], fractions: [Double]) {
        (snaps.map { $0?.edgeId ?? 0 }, snaps.map { $0?.fraction ?? 0 })
    }

    // MARK: - Cache encoding

    /// sha256 of the snapped positions (edge and fraction): the same locations on the
    /// same network give the same key; an unsnapped location counts as a gap.
    static func cacheKey(_ snaps: [Snap?]) -> String {
        var text = ""
        for snap in snaps {
            if let snap { text += "\(snap.edgeId):\(snap.fraction);" } else { text += "-;" }
        }
        return Hex.string(SHA256.hash(data: Data(text.utf8)))
    }

    /// road_matrix_bytes' layout: n*n (metres, seconds) big-endian int64 pairs, row by row.
    static func decode(_ buffer: ByteBuffer, count n: Int) -> Matrix {
        var buffer = buffer
        var metres = [Int64](), seconds = [Int64]()
        metres.reserveCapacity(n * n)
        seconds.reserveCapacity(n * n)
        while let m = buffer.readInteger(endianness: .big, as: Int64.self),
              let s = buffer.readInteger(endianness: .big, as: Int64.self) {
            metres.append(m)
            seconds.append(s)
        }
        return Matrix(count: n, metres: metres, seconds: seconds)
    }
}
