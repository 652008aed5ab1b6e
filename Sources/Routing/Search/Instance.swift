import Foundation

/// The solver's flat, node-indexed view of a `ProblemData`: depots are nodes
/// `0..<depotCount`, client `c` is node `depotCount + c`. Everything the hot loops read
/// lives in contiguous arrays.
final class Instance: @unchecked Sendable {  // immutable after init
    let data: ProblemData
    let depotCount: Int
    let clientCount: Int
    let nodeCount: Int
    let dims: Int
    /// `nodeCount * nodeCount` distance and duration matrices.
    let dist: [Int64]
    let dur: [Int64]
    let delivery: [Load]
    let pickup: [Load]
    let service: [Int64]
    /// Hull of the client's windows (used by the O(1) move evaluation).
    let twEarly: [Int64]
    let twLate: [Int64]
    /// Nodes with more than one window: the exact schedule check handles the gaps.
    let multiWindow: [Bool]
    let required: [Bool]
    let prize: [Int64]
    let skills: [UInt64]
    /// Release time per node (0 for depots): a trip serving the node leaves no earlier.
    let release: [Int64]
    /// Clients that some vehicle can serve alone; the others are unassigned up front.
    @exclusivity(unchecked) private(set) var active: [Bool] = []
    @exclusivity(unchecked) private(set) var preReason: [UnassignedReason?] = []
    @exclusivity(unchecked) private(set) var activeClients: [Int] = []
    /// Load segment of each node visited alone (zero for depots).
    let nodeLoad: [LoadSegment]
    let hasSkills: Bool
    /// One load dimension and no pickups: loads are plain sums.
    let scalarLoad: Bool
    /// Plain CVRP-like costs (scalar loads, no time, skills or distance limits): inter-route
    /// moves are then priced with a few scalar operations instead of segment algebra.
    var simpleLoads: Bool { scalarLoad && !hasTime && !hasSkills && !hasDistanceLimit && !hasReloads }
    /// Whether both matrices are symmetric (enables a cheap 2-opt bound).
    let symmetric: Bool
    let typeCount: Int
    /// Price of one client on a vehicle lacking its skills: dearer than any detour.
    let skillPenalty: Int64

    /// Some vehicle type may reload: routes then hold depot nodes between trips and every
    /// segment is trip-aware (see `SequenceCost`).
    let hasReloads: Bool
    /// Reload depots (depot nodes) per vehicle type, the first one being the default.
    let vtReloadDepots: [[Int]]
    let vtMaxReloads: [Int]
    /// Bit d set when depot d may be a reload of the type.
    let vtReloadMask: [UInt64]

    // Vehicle types.
    let vtCapacity: [Load]
    let vtStart: [Int]
    let vtEnd: [Int]
    let vtShift: [Window]
    let vtMaxDuration: [Int64]
    let vtMaxDistance: [Int64]
    let vtFixed: [Int64]
    let vtUnitDist: [Int64]
    let vtUnitDur: [Int64]
    let vtSkills: [UInt64]
    /// Route slots (one per vehicle the search may use) and their vehicle type.
    let slotType: [Int]
    let slotVehicle: [Int]
    /// First slot of each vehicle type.
    let typeFirstSlot: [Int]

    /// Whether any time-related constraint or cost exists (else time is never computed).
    let hasTime: Bool
    let hasDistanceLimit: Bool
    let hasOptional: Bool
    /// Granular neighbourhood: for each node, the nearby clients to try moves with.
    @exclusivity(unchecked) private(set) var neighbours: [[Int32]] = []
    /// Polar angle (0..<65536) of each node around depot 0, if coordinates are known.
    let angle: [Int32]?

    static let infinity = Int64.max / 4

    init(_ data: ProblemData, granularity: Int = 20) {
        self.data = data
        let nd = data.depots.count, nc = data.clients.count, n = nd + nc
        depotCount = nd
        clientCount = nc
        nodeCount = n
        dims = data.dimensions
        var loc = data.depots.map(\.location)
        loc += data.clients.map(\.location)
        let ln = data.locationCount
        var d = [Int64](repeating: 0, count: n * n), t = d
        for i in 0..<n {
            for j in 0..<n {
                d[i * n + j] = data.distances[loc[i] * ln + loc[j]]
                t[i * n + j] = data.durations[loc[i] * ln + loc[j]]
            }
        }
        dist = d
        dur = t
        func load(_ v: [Int64]) -> Load {
            var l = Load.zero
            for (k, x) in v.enumerated() { l[k] = x }
            return l
        }
        var skillBits: [String: Int] = [:]
        for c in data.clients { for s in c.skills.sorted() where skillBits[s] == nil { skillBits[s] = skillBits.count } }
        func mask(_ s: Set<String>) -> UInt64 {
            var m: UInt64 = 0
            for x in s {
                if let b = skillBits[x] { m |= b < 64 ? (1 << UInt64(b)) : 0 }
            }
            return m
        }
        var del = [Load](repeating: .zero, count: n), pic = del
        var srv = [Int64](repeating: 0, count: n), e = srv, l = [Int64](repeating: Instance.infinity, count: n)
        var multi = [Bool](repeating: false, count: n), req = [Bool](repeating: false, count: n)
        var pz = [Int64](repeating: 0, count: n), sk = [UInt64](repeating: 0, count: n)
        var rel = [Int64](repeating: 0, count: n)
        var time = false
        for (i, c) in data.clients.enumerated() {
            let v = nd + i
            del[v] = load(c.delivery)
            pic[v] = load(c.pickup)
            srv[v] = c.serviceDuration
            if let f = c.timeWindows.first, let g = c.timeWindows.last {
                e[v] = f.start
                l[v] = min(g.end, Instance.infinity)
                multi[v] = c.timeWindows.count > 1
                time = true
            }
            req[v] = c.required
            rel[v] = c.releaseTime
            if c.releaseTime > 0 { time = true }
            pz[v] = c.prize
            sk[v] = mask(c.skills)
        }
        delivery = del
        pickup = pic
        service = srv
        twEarly = e
        twLate = l
        multiWindow = multi
        required = req
        prize = pz
        skills = sk
        release = rel
        hasOptional = data.clients.contains { !$0.required }
        var sym = true
        outer: for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where d[i * n + j] != d[j * n + i] || t[i * n + j] != t[j * n + i] {
                sym = false
                break outer
            }
        }
        symmetric = sym
        nodeLoad = (0..<n).map { LoadSegment(delivery: del[$0], pickup: pic[$0]) }
        hasSkills = sk.contains { $0 != 0 }
        scalarLoad = data.dimensions == 1 && pic.allSatisfy { $0 == .zero }
        typeCount = data.vehicleTypes.count
        let maxD = d.max() ?? 0
        let maxUnit = data.vehicleTypes.map(\.unitDistanceCost).max() ?? 1
        let maxFixed = data.vehicleTypes.map(\.fixedCost).max() ?? 0
        skillPenalty = min(Instance.infinity / 1024, 4 * (maxD * max(1, maxUnit) + maxFixed) + 1000)

        let vts = data.vehicleTypes
        vtCapacity = vts.map { load($0.capacity) }
        vtStart = vts.map(\.startDepot)
        vtEnd = vts.map(\.endDepot)
        vtShift = vts.map { Window(start: $0.shift.start, end: min($0.shift.end, Instance.infinity)) }
        vtMaxDuration = vts.map { $0.maxDuration ?? Instance.infinity }
        vtMaxDistance = vts.map { $0.maxDistance ?? Instance.infinity }
        vtFixed = vts.map(\.fixedCost)
        vtUnitDist = vts.map(\.unitDistanceCost)
        vtUnitDur = vts.map(\.unitDurationCost)
        vtSkills = vts.map { mask($0.skills) }
        vtReloadDepots = vts.map { $0.reloadDepots }
        vtMaxReloads = vts.map { $0.reloadDepots.isEmpty ? 0 : ($0.maxReloads ?? Int.max / 4) }
        vtReloadMask = vts.map { $0.reloadDepots.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) } }
        hasReloads = vts.contains { !$0.reloadDepots.isEmpty && $0.count > 0 && ($0.maxReloads ?? 1) > 0 }
        for v in vts where v.maxDuration != nil || v.unitDurationCost != 0 || v.shift != .unbounded { time = true }
        hasTime = time
        hasDistanceLimit = vts.contains { $0.maxDistance != nil }

        // A vehicle type never needs more routes than there are clients.
        var st: [Int] = [], sv: [Int] = [], first: [Int] = []
        for (k, v) in vts.enumerated() {
            first.append(st.count)
            for i in 0..<min(v.count, max(nc, 1)) {
                st.append(k)
                sv.append(i)
            }
        }
        slotType = st
        slotVehicle = sv
        typeFirstSlot = first

        if let c = data.coordinates {
            let p0 = c[data.depots[0].location]
            angle = loc.map { li in
                let a = atan2(c[li].y - p0.y, c[li].x - p0.x)  // -pi...pi
                return Int32((a + Double.pi) / (2 * Double.pi) * 65535)
            }
        } else {
            angle = nil
        }
        var reasons = [UnassignedReason?](repeating: nil, count: n)
        var act = [Bool](repeating: false, count: n)
        for v in nd..<n {
            reasons[v] = reasonAlone(v)
            act[v] = reasons[v] == nil
        }
        preReason = reasons
        active = act
        activeClients = (nd..<n).filter { act[$0] }
        neighbours = computeNeighbours(granularity)
    }

    @inline(__always) func d(_ i: Int, _ j: Int) -> Int64 { dist[i &* nodeCount &+ j] }
    @inline(__always) func t(_ i: Int, _ j: Int) -> Int64 { dur[i &* nodeCount &+ j] }

    func clientSegmentDuration(_ v: Int) -> DurationSegment {
        DurationSegment(duration: service[v], timeWarp: 0, early: twEarly[v], late: twLate[v])
    }

    func depotSegment(_ vt: Int) -> DurationSegment {
        DurationSegment(duration: 0, timeWarp: 0, early: vtShift[vt].start, late: vtShift[vt].end)
    }

    /// Why no vehicle could serve client node `v` even on a route of its own, or nil.
    private func reasonAlone(_ v: Int) -> UnassignedReason? {
        if !data.vehicleTypes.contains(where: { $0.count > 0 }) { return .fleetSize }
        var best = 0
        let rank: [UnassignedReason] = [.skills, .capacity, .timeWindow, .maxDuration, .maxDistance]
        for k in vtCapacity.indices where !typeFirstSlot.isEmpty && data.vehicleTypes[k].count > 0 {
            if skills[v] & ~vtSkills[k] != 0 { continue }
            best = max(best, 1)
            let seg = LoadSegment(delivery: delivery[v], pickup: pickup[v])
            if seg.excess(vtCapacity[k]) > 0 { continue }
            best = max(best, 2)
            let s = vtStart[k], e = vtEnd[k]
            let route = ExactSchedule.simulate(self, vt: k, nodes: [s, v, e])
            if route.lateness > 0 { continue }
            best = max(best, 3)
            if route.duration > vtMaxDuration[k] { continue }
            best = max(best, 4)
            if d(s, v) + d(v, e) > vtMaxDistance[k] { continue }
            return nil
        }
        return rank[best]
    }

    private func computeNeighbours(_ k: Int) -> [[Int32]] {
        var sets = [Set<Int32>](repeating: [], count: nodeCount)
        let clients = activeClients
        for u in clients {
            var cand: [(Double, Int)] = []
            cand.reserveCapacity(clients.count)
            for v in clients where v != u {
                var p = Double(d(u, v))
                if hasTime {
                    let wait = max(0, twEarly[v] - service[u] - t(u, v) - twLate[u])
                    let warp = max(0, twEarly[u] + service[u] + t(u, v) - twLate[v])
                    p += 0.2 * Double(wait) + Double(warp)
                }
                cand.append((p, v))
            }
            cand.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (_, v) in cand.prefix(k) {
                sets[u].insert(Int32(v))
                sets[v].insert(Int32(u))
            }
        }
        return sets.map { $0.sorted() }
    }
}
