import RuralPostCore

/// The routable graph of an extract's drivable ways: vertices where ways end or meet,
/// and one edge per stretch of way between two vertices, with its geometry, length,
/// and travel time in each direction it may be driven.
public struct RoadGraph: Sendable {
    public struct Node: Sendable, Equatable {
        /// Dense, from 1 (pgRouting vertex id).
        public let id: Int64
        public let osmId: Int64
        public let lon: Double
        public let lat: Double
        /// Weakly connected component (from 1).
        public var component: Int
        /// Strongly connected component (from 1): the nodes that reach each other keeping
        /// to one-way rules.
        public var strongComponent: Int
    }

    public struct Edge: Sendable, Equatable {
        /// Dense, from 1.
        public let id: Int64
        public let source: Int64
        public let target: Int64
        public let wayId: Int64
        public let roadClass: String
        public let name: String?
        public let lengthM: Double
        /// Speed in the drawing direction (or against it for a way one-way against it).
        public let speedKmh: Double
        public let speedFromTag: Bool
        public let forwardS: Double?
        public let backwardS: Double?
        /// Strongly connected component of both ends; 0 when they differ.
        public var strongComponent: Int
        /// (lon, lat) from source to target.
        public let coordinates: [(lon: Double, lat: Double)]

        public static func == (a: Edge, b: Edge) -> Bool {
            a.id == b.id && a.source == b.source && a.target == b.target && a.lengthM == b.lengthM
                && a.forwardS == b.forwardS && a.backwardS == b.backwardS
        }
    }

    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    /// Number of weakly connected components.
    public private(set) var components = 0
    /// Number of strongly connected components, and the one with the most nodes.
    public private(set) var strongComponents = 0
    public private(set) var mainComponent = 0
    /// Ways read and ways kept as drivable.
    public private(set) var waysRead = 0
    public private(set) var waysDrivable = 0

    public init() {}

    /// A builder that takes ways one at a time, then ``build()`` splits them at shared nodes.
    public struct Builder {
        private var ways: [(way: DrivableWay, id: Int64, nodes: [OSMWay.Node])] = []
        private var uses: [Int64: Int] = [:]
        private var waysRead = 0
        let speeds: RoadSpeeds

        public init(speeds: RoadSpeeds) {
            self.speeds = speeds
        }

        public mutating func add(_ way: OSMWay) {
            waysRead += 1
            guard let drivable = DrivableWay.classify(way.tags, speeds: speeds) else { return }
            // A node the extract lacks cuts the way: each run of located nodes is kept.
            var run: [OSMWay.Node] = []
            func flush() {
                // Consecutive repeats of one node add nothing.
                var clean: [OSMWay.Node] = []
                for node in run where clean.last?.id != node.id { clean.append(node) }
                if clean.count >= 2 {
                    uses[clean[0].id, default: 0] += 1  // ends are vertices
                    uses[clean[clean.count - 1].id, default: 0] += 1
                    for node in clean { uses[node.id, default: 0] += 1 }
                    ways.append((drivable, way.id, clean))
                }
                run = []
            }
            for node in way.nodes {
                if node.lon == nil { flush() } else { run.append(node) }
            }
            flush()
        }

        /// Splits every way at its vertices (ends, and nodes used more than once).
        public func build() -> RoadGraph {
            var graph = RoadGraph()
            graph.waysRead = waysRead
            graph.waysDrivable = Set(ways.map(\.id)).count
            var vertexId: [Int64: Int64] = [:]
            func vertex(_ node: OSMWay.Node) -> Int64 {
                if let id = vertexId[node.id] { return id }
                let id = Int64(graph.nodes.count + 1)
                vertexId[node.id] = id
                graph.nodes.append(Node(id: id, osmId: node.id, lon: node.lon!, lat: node.lat!, component: 0, strongComponent: 0))
                return id
            }
            for (way, wayId, nodes) in ways {
                var start = 0
                for i in 1..<nodes.count where uses[nodes[i].id, default: 0] > 1 || i == nodes.count - 1 {
                    let stretch = nodes[start...i]
                    var metres = 0.0
                    for (a, b) in zip(stretch, stretch.dropFirst()) {
                        metres += GeoPoint(lat: a.lat!, lon: a.lon!).distanceKm(to: GeoPoint(lat: b.lat!, lon: b.lon!)) * 1000
                    }
                    let source = vertex(nodes[start]), target = vertex(nodes[i])
                    graph.edges.append(Edge(
                        id: Int64(graph.edges.count + 1), source: source, target: target, wayId: wayId,
                        roadClass: way.roadClass, name: way.name, lengthM: metres,
                        speedKmh: way.forwardKmh ?? way.backwardKmh!, speedFromTag: way.speedFromTag,
                        forwardS: way.forwardKmh.map { metres / ($0 / 3.6) }, backwardS: way.backwardKmh.map { metres / ($0 / 3.6) },
                        strongComponent: 0, coordinates: stretch.map { ($0.lon!, $0.lat!) }))
                    start = i
                }
            }
            graph.labelComponents()
            graph.labelStrongComponents()
            return graph
        }
    }

    /// Weakly connected components by union-find; numbered from 1 in order of first vertex.
    private mutating func labelComponents() {
        var parent = Array(0...nodes.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for edge in edges {
            let a = find(Int(edge.source)), b = find(Int(edge.target))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var label: [Int: Int] = [:]
        for i in nodes.indices {
            let root = find(i + 1)
            let c = label[root] ?? (label.count + 1)
            label[root] = c
            nodes[i].component = c
        }
        components = label.count
    }

    /// Strongly connected components (Tarjan's algorithm, iterative so a long road
    /// cannot overflow the stack), numbered from 1 in order of completion.
    private mutating func labelStrongComponents() {
        let n = nodes.count
        var out = [[Int]](repeating: [], count: n + 1)
        for edge in edges {
            if edge.forwardS != nil { out[Int(edge.source)].append(Int(edge.target)) }
            if edge.backwardS != nil { out[Int(edge.target)].append(Int(edge.source)) }
        }
        var index = [Int](repeating: -1, count: n + 1), low = [Int](repeating: 0, count: n + 1)
        var onStack = [Bool](repeating: false, count: n + 1)
        var stack: [Int] = [], label = [Int](repeating: 0, count: n + 1)
        var counter = 0, count = 0
        for root in 1...max(1, n) where n > 0 && index[root] < 0 {
            var work: [(node: Int, next: Int)] = [(root, 0)]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let (v, next) = work.last {
                if next < out[v].count {
                    work[work.count - 1].next += 1
                    let w = out[v][next]
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                if low[v] == index[v] {
                    count += 1
                    while let w = stack.popLast() {
                        onStack[w] = false
                        label[w] = count
                        if w == v { break }
                    }
                }
            }
        }
        var sizes = [Int](repeating: 0, count: count + 1)
        for i in nodes.indices {
            nodes[i].strongComponent = label[i + 1]
            sizes[label[i + 1]] += 1
        }
        for i in edges.indices {
            let a = label[Int(edges[i].source)], b = label[Int(edges[i].target)]
            edges[i].strongComponent = a == b ? a : 0
        }
        strongComponents = count
        mainComponent = count == 0 ? 0 : (1...count).max { (sizes[$0], $1) < (sizes[$1], $0) }!
    }

    /// Kilometres of road by class, longest first.
    public var kilometresByClass: [(roadClass: String, km: Double)] {
        Dictionary(grouping: edges, by: \.roadClass).map { ($0.key, $0.value.reduce(0) { $0 + $1.lengthM } / 1000) }
            .sorted { ($0.km, $1.roadClass) > ($1.km, $0.roadClass) }
    }

    public var totalLengthM: Double { edges.reduce(0) { $0 + $1.lengthM } }
}
