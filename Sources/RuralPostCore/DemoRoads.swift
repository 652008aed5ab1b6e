/// The road network of a generated ``DemoCounty``, as an OpenStreetMap XML document
/// that `ruralpost roads import` loads like any real extract:
///
/// - the county town: a street grid (residential streets, two tertiary main streets),
///   with a road out to the depot;
/// - one winding valley road per valley (secondary, then tertiary) through its
///   townships, and an unclassified village road from a township to each village;
/// - a river down the first valley: the villages on its far bank hang off a far-bank
///   road that reaches the valley road over two bridges only;
/// - a ridge between the second and third valleys, crossed by one switchback pass road;
/// - a lane (service road or unclassified lane) from each home-delivery address to the
///   nearest road on its side of the river.
///
/// The same county and seed always give the same bytes.
public enum DemoRoads {
    /// Kilometre offsets east (x) and north (y) of the county town.
    struct Local: Sendable {
        var x: Double
        var y: Double
        static func + (a: Local, b: Local) -> Local { Local(x: a.x + b.x, y: a.y + b.y) }
        static func - (a: Local, b: Local) -> Local { Local(x: a.x - b.x, y: a.y - b.y) }
        static func * (a: Local, k: Double) -> Local { Local(x: a.x * k, y: a.y * k) }
        var length: Double { (x * x + y * y).squareRoot() }
        /// Unit normal to the left of this direction.
        var leftNormal: Local {
            let l = max(length, 1e-9)
            return Local(x: -y / l, y: x / l)
        }
        func cross(_ o: Local) -> Double { x * o.y - y * o.x }
    }

    static let kmPerDegree = 111.2

    /// The OpenStreetMap XML of `county`'s roads.
    public static func osmXML(for county: DemoCounty, seed: UInt64) -> String {
        var builder = Builder(county: county, seed: seed)
        builder.build()
        return builder.osm.xml
    }

    struct Builder {
        let county: DemoCounty
        let origin: GeoPoint
        var rng: SeededRandom
        var osm = OSMXMLWriter()
        /// Positions of the nodes, in local kilometres.
        var local: [Local] = []
        var river: [Local] = []
        /// Nodes of the river line: not road, nothing may join them.
        var riverNodes: Set<Int> = []

        init(county: DemoCounty, seed: UInt64) {
            self.county = county
            // The town post office sits at the town centre.
            origin = county.pickupPoints.first { $0.place.code == "PP-TOWN-PO" }?.place.location ?? county.depot.location
            rng = SeededRandom(seed: seed ^ 0x524F_4144_5321)  // "ROADS!"
        }

        func toLocal(_ p: GeoPoint) -> Local {
            Local(x: (p.lon - origin.lon) * DemoRoads.kmPerDegree * _cos(origin.lat * .pi / 180),
                  y: (p.lat - origin.lat) * DemoRoads.kmPerDegree)
        }

        func toGeo(_ l: Local) -> GeoPoint {
            GeoPoint(lat: origin.lat + l.y / DemoRoads.kmPerDegree,
                     lon: origin.lon + l.x / (DemoRoads.kmPerDegree * _cos(origin.lat * .pi / 180)))
        }

        mutating func node(_ l: Local) -> Int {
            local.append(l)
            return osm.node(toGeo(l))
        }

        /// Intermediate points from a to b (exclusive of both) every ~`stepKm`, swinging
        /// sideways by up to `amplitudeKm`: roads follow the land, not the ruler.
        mutating func bends(_ a: Local, _ b: Local, stepKm: Double = 0.35, amplitudeKm: Double) -> [Local] {
            let d = b - a
            let count = max(1, Int((d.length / stepKm).rounded()))
            let normal = d.leftNormal
            let phase = rng.uniform(0, 2 * .pi), waves = max(1, (d.length / 2.5).rounded())
            var out: [Local] = []
            for i in 1..<count {
                let t = Double(i) / Double(count)
                let swing = amplitudeKm * _sin(phase + t * waves * 2 * .pi) * _sin(t * .pi) + rng.uniform(-0.03, 0.03)
                out.append(a + d * t + normal * swing)
            }
            return out
        }

        /// A road from existing node `from` through new bend nodes to existing node `to`.
        mutating func road(_ from: Int, _ to: Int, tags: [(String, String)], amplitudeKm: Double) -> [Int] {
            var ids = [from]
            for p in bends(local[from - 1], local[to - 1], amplitudeKm: amplitudeKm) { ids.append(node(p)) }
            ids.append(to)
            osm.way(ids, tags: tags)
            return ids
        }

        /// The existing node nearest to `p` among `candidates` whose straight link to `p`
        /// does not cross the river.
        func nearest(to p: Local, among candidates: some Sequence<Int>) -> Int? {
            var best: (Int, Double)?
            for id in candidates {
                let d = (local[id - 1] - p).length
                if let b = best, b.1 <= d { continue }
                if crossesRiver(p, local[id - 1]) { continue }
                best = (id, d)
            }
            return best?.0
        }

        func crossesRiver(_ a: Local, _ b: Local) -> Bool {
            for (c, d) in zip(river, river.dropFirst()) {
                let r = b - a, s = d - c
                let denominator = r.cross(s)
                if abs(denominator) < 1e-12 { continue }
                let t = (c - a).cross(s) / denominator, u = (c - a).cross(r) / denominator
                if t > 0 && t < 1 && u > 0 && u < 1 { return true }
            }
            return false
        }

        mutating func build() {
            // County town: a 2 x 2 km grid, 250 m blocks.
            let half = 4, block = 0.25
            var grid: [[Int]] = []
            for row in -half...half {
                grid.append((-half...half).map { col in node(Local(x: Double(col) * block, y: Double(row) * block)) })
            }
            for i in 0...(2 * half) {
                let main = i == half
                osm.way(grid[i], tags: [("highway", main ? "tertiary" : "residential"),
                                        ("name", main ? "Renmin Road" : "Lane \(i + 1)"), ("maxspeed", main ? "40" : "30")])
                osm.way(grid.map { $0[i] }, tags: [("highway", main ? "tertiary" : "residential"),
                                                   ("name", main ? "Jiefang Street" : "Alley \(i + 1)")])
            }
            let gridNodes = grid.flatMap { $0 }
            let edgeNodes = gridNodes.filter { id in let l = local[id - 1]; return abs(l.x) > 0.99 || abs(l.y) > 0.99 }

            // The depot, on its own road to the nearest town street.
            let depot = node(toLocal(county.depot.location))
            _ = road(nearest(to: local[depot - 1], among: edgeNodes)!, depot,
                     tags: [("highway", "tertiary"), ("name", "Depot Road")], amplitudeKm: 0.05)

            // Valleys: pickup points grouped by service centre, townships in order of distance.
            var valleys: [[DemoCounty.PickupPoint]] = []
            for centre in county.serviceCentres where centre.code != "SC-TOWN" {
                valleys.append(county.pickupPoints.filter { $0.serviceCentre == centre.code })
            }
            var hubNode: [String: Int] = [:]
            var valleyRoads: [[Int]] = []
            for (v, points) in valleys.enumerated() {
                let hubs = points.filter { $0.kind == "post_outlet" }
                    .sorted { toLocal($0.place.location).length < toLocal($1.place.location).length }
                guard let first = hubs.first else { valleyRoads.append([]); continue }
                let start = nearest(to: toLocal(first.place.location), among: edgeNodes)!
                var ids = [start]
                var previous = start
                for (h, hub) in hubs.enumerated() {
                    let hubId = node(toLocal(hub.place.location))
                    hubNode[hub.place.code] = hubId
                    let tags: [(String, String)] = [("highway", h < 2 ? "secondary" : "tertiary"),
                                                    ("name", "\(hub.place.name.split(separator: " ").first ?? "") valley road")]
                    let stretch = road(previous, hubId, tags: tags, amplitudeKm: 0.35)
                    ids += stretch.dropFirst()
                    previous = hubId
                }
                valleyRoads.append(ids)
                if v == 0 { buildRiverValley(points: points, hubs: hubs, valleyRoad: ids, hubNode: hubNode) }
            }
            // Villages of the other valleys (and the near bank of the river valley).
            for (v, points) in valleys.enumerated() {
                var hub: Int?
                for point in points {
                    if point.kind == "post_outlet" {
                        hub = hubNode[point.place.code]
                        continue
                    }
                    guard let hub else { continue }
                    if v == 0 && isFarBank(point.place.location) { continue }
                    let village = node(toLocal(point.place.location))
                    _ = road(hub, village, tags: [("highway", "unclassified"), ("name", "\(point.place.name) road")], amplitudeKm: 0.25)
                }
            }
            buildPass(valleys: valleys, hubNode: hubNode)

            // Lanes to home-delivery addresses.
            var roadNodes = (1...osm.nodes.count).filter { !riverNodes.contains($0) }
            var seen: Set<GeoPoint> = []
            for order in county.orders where order.pickupPoint == nil && seen.insert(order.location).inserted {
                let p = toLocal(order.location)
                guard let to = nearest(to: p, among: roadNodes) else { continue }
                let home = node(p)
                let km = (local[to - 1] - p).length
                _ = road(to, home, tags: km < 0.3 ? [("highway", "service")] : [("highway", "unclassified"), ("name", "Farm lane")],
                         amplitudeKm: km < 0.3 ? 0 : 0.08)
                roadNodes.append(home)
            }
        }

        /// Which side of the river a location is on (the side its far-bank villages lie).
        func isFarBank(_ p: GeoPoint) -> Bool {
            guard river.count >= 2 else { return false }
            let l = toLocal(p)
            var best = (0, Double.infinity)
            for i in 0..<(river.count - 1) {
                let d = (river[i] - l).length
                if d < best.1 { best = (i, d) }
            }
            let a = river[best.0], b = river[best.0 + 1]
            return (b - a).cross(l - a) > 0
        }

        /// The river valley: the river 0.4 km to the left of the valley road, a far-bank
        /// road 0.9 km to the left, bridges near town and at the second township, and the
        /// far-bank villages on the far-bank road.
        mutating func buildRiverValley(points: [DemoCounty.PickupPoint], hubs: [DemoCounty.PickupPoint], valleyRoad: [Int],
                                       hubNode: [String: Int]) {
            guard hubs.count >= 2 else { return }
            let path = valleyRoad.map { local[$0 - 1] }
            func offset(_ i: Int, _ km: Double) -> Local {
                let a = path[max(0, i - 3)], b = path[min(path.count - 1, i + 3)]
                return path[i] + (b - a).leftNormal * km
            }
            river = (0..<path.count).map { offset($0, 0.4) }
            river.append(path[path.count - 1] + (path[path.count - 1] - path[max(0, path.count - 4)]).leftNormal * 0.4
                         + (path[path.count - 1] - path[max(0, path.count - 4)]) * 2)
            let riverIds = river.map { node($0) }
            riverNodes = Set(riverIds)
            osm.way(riverIds, tags: [("waterway", "river"), ("name", "Qing River")])

            // Far-bank road from a point across the first bridge to the end of the valley.
            let bridgeOne = min(valleyRoad.count - 1, 4)
            let hubTwo = valleyRoad.firstIndex(of: hubNode[hubs[1].place.code]!)!
            var far: [Int] = []
            var i = bridgeOne
            while i < path.count {
                far.append(node(offset(i, 0.9)))
                i += 2
            }
            osm.way(far, tags: [("highway", "unclassified"), ("name", "Far bank road")])
            let farAtTwo = far.min { (local[$0 - 1] - path[hubTwo]).length < (local[$1 - 1] - path[hubTwo]).length }!
            osm.way([valleyRoad[bridgeOne], far[0]], tags: [("highway", "tertiary"), ("bridge", "yes"), ("layer", "1"),
                                                             ("name", "Old Stone Bridge")])
            osm.way([valleyRoad[hubTwo], farAtTwo], tags: [("highway", "unclassified"), ("bridge", "yes"), ("layer", "1"),
                                                            ("maxspeed", "20"), ("name", "\(hubs[1].place.name.split(separator: " ").first ?? "") Bridge")])
            for point in points where point.kind != "post_outlet" && isFarBank(point.place.location) {
                let p = toLocal(point.place.location)
                let village = node(p)
                let to = nearest(to: p, among: far)!
                _ = road(to, village, tags: [("highway", "unclassified"), ("name", "\(point.place.name) road")], amplitudeKm: 0.2)
            }
        }

        /// The one pass over the ridge between the second and third valleys: second
        /// township to second township, switchbacks over the top third.
        mutating func buildPass(valleys: [[DemoCounty.PickupPoint]], hubNode: [String: Int]) {
            guard valleys.count >= 3 else { return }
            let ends = [valleys[1], valleys[2]].compactMap { points -> Int? in
                let hubs = points.filter { $0.kind == "post_outlet" }
                    .sorted { toLocal($0.place.location).length < toLocal($1.place.location).length }
                return hubs.count >= 2 ? hubNode[hubs[1].place.code] : nil
            }
            guard ends.count == 2 else { return }
            let a = local[ends[0] - 1], b = local[ends[1] - 1]
            let d = b - a, normal = d.leftNormal
            var ids = [ends[0]]
            let steps = 60
            for s in 1..<steps {
                let t = Double(s) / Double(steps)
                // Hairpins: a sideways zig-zag of 300 m while climbing the middle third.
                let zig = (t > 0.33 && t < 0.67) ? (s.isMultiple(of: 2) ? 0.15 : -0.15) : 0.2 * _sin(t * 3 * .pi)
                ids.append(node(a + d * t + normal * zig))
            }
            ids.append(ends[1])
            osm.way(ids, tags: [("highway", "tertiary"), ("name", "Yunling Pass Road"), ("maxspeed", "30")])
        }
    }
}
