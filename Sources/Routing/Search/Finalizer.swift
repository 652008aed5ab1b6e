/// Turns the search's best individual into a `Solution` in which every hard constraint
/// holds, checked exactly (all time windows of a client, not just their hull). Clients
/// that violate a constraint are taken out, reinserted where they fit, and otherwise
/// reported as unassigned with the reason.
struct Finalizer {
    let inst: Instance

    private enum Violation: Int { case none, skills, capacity, timeWindow, maxDuration, maxDistance }

    /// Violation score (0 when feasible) and the dominant violated constraint.
    private func check(_ vt: Int, _ clients: [Int]) -> (Double, Violation) {
        if clients.isEmpty { return (0, .none) }
        let nodes = [inst.vtStart[vt]] + clients + [inst.vtEnd[vt]]
        var score = 0.0
        var kind = Violation.none
        var worst = 0.0
        func note(_ s: Double, _ k: Violation) {
            score += s
            if s > worst { worst = s; kind = k }
        }
        let m = inst.measure(vt: vt, nodes: clients)
        if m.skillMisses > 0 { note(Double(m.skillMisses) * 100, .skills) }
        let ex = m.loadExcess
        if ex > 0 { note(Double(ex) / Double(max(1, inst.vtCapacity[vt].max())), .capacity) }
        let nd = inst.depotCount
        if m.reloads > inst.vtMaxReloads[vt] || clients.contains(where: { $0 < nd && inst.vtReloadMask[vt] & (1 << UInt64($0)) == 0 }) {
            note(100, .capacity)
        }
        if inst.hasTime {
            let s = ExactSchedule.simulate(inst, vt: vt, nodes: nodes)
            let span = Double(max(1, inst.vtShift[vt].end - inst.vtShift[vt].start))
            if s.lateness > 0 { note(Double(s.lateness) / min(span, 1e12) + 1e-9, .timeWindow) }
            if s.duration > inst.vtMaxDuration[vt] {
                note(Double(s.duration - inst.vtMaxDuration[vt]) / Double(max(1, inst.vtMaxDuration[vt])) + 1e-9, .maxDuration)
            }
        }
        var dist: Int64 = 0
        for k in 1..<nodes.count { dist += inst.d(nodes[k - 1], nodes[k]) }
        if dist > inst.vtMaxDistance[vt] {
            note(Double(dist - inst.vtMaxDistance[vt]) / Double(max(1, inst.vtMaxDistance[vt])) + 1e-9, .maxDistance)
        }
        return (score, kind)
    }

    private func cost(_ vt: Int, _ clients: [Int]) -> Int64 {
        if clients.isEmpty { return 0 }
        let nodes = [inst.vtStart[vt]] + clients + [inst.vtEnd[vt]]
        var dist: Int64 = 0
        for k in 1..<nodes.count { dist += inst.d(nodes[k - 1], nodes[k]) }
        var c = inst.vtFixed[vt] + inst.vtUnitDist[vt] * dist
        if inst.hasTime && inst.vtUnitDur[vt] != 0 {
            c += inst.vtUnitDur[vt] * ExactSchedule.simulate(inst, vt: vt, nodes: nodes).duration
        }
        return c
    }

    func solution(from ind: Individual?, iterations: Int, runtime: Double) -> Solution {
        let slots = inst.slotType.count
        var routes = ind?.routes ?? []
        if routes.count < slots { routes += [[Int]](repeating: [], count: slots - routes.count) }
        var pool: [(Int, Violation)] = []
        // 1. Take clients out of violating routes, the most helpful removal first.
        for s in 0..<slots {
            let vt = inst.slotType[s]
            var (score, kind) = check(vt, routes[s])
            while score > 0 {
                var bestK = 0
                var bestScore = Double.infinity
                for k in routes[s].indices where routes[s][k] >= inst.depotCount || score >= 100 {
                    var r = routes[s]
                    r.remove(at: k)
                    let sc = check(vt, r).0
                    if sc < bestScore { bestScore = sc; bestK = k }
                }
                let removed = routes[s].remove(at: bestK)
                if removed >= inst.depotCount { pool.append((removed, kind)) }
                (score, kind) = check(vt, routes[s])
            }
        }
        // Required clients first, then optional ones by prize.
        var served = Set(routes.joined())
        for v in inst.activeClients where !served.contains(v) && inst.required[v] && !pool.contains(where: { $0.0 == v }) {
            pool.append((v, .none))
        }
        pool.sort { (inst.required[$0.0] ? 1 : 0, inst.prize[$0.0], -$0.0) > (inst.required[$1.0] ? 1 : 0, inst.prize[$1.0], -$1.0) }
        var reasons: [Int: UnassignedReason] = [:]
        // 2. Cheapest feasible reinsertion.
        for (v, why) in pool {
            var best: (Int, Int, Int64, [Int])? = nil
            var failures: [Violation: Int] = [:]
            var triedEmpty = Set<Int>()
            for s in 0..<slots {
                let vt = inst.slotType[s]
                if routes[s].isEmpty {
                    if triedEmpty.contains(vt) { continue }
                    triedEmpty.insert(vt)
                }
                let base = cost(vt, routes[s])
                // Into an existing trip, or (multi-trip) as a trip of its own before or
                // after the trip at `p`.
                let reload = inst.vtMaxReloads[vt] > 0 && !routes[s].isEmpty ? inst.vtReloadDepots[vt].first : nil
                for p in 0...routes[s].count {
                    var options: [[Int]] = [[v]]
                    if let d = reload {
                        if p > 0 { options.append([d, v]) }
                        if p < routes[s].count { options.append([v, d]) }
                    }
                    for piece in options {
                        var r = routes[s]
                        r.insert(contentsOf: piece, at: p)
                        let (sc, kind) = check(vt, r)
                        if sc > 0 {
                            failures[kind, default: 0] += 1
                            continue
                        }
                        let delta = cost(vt, r) - base
                        if best == nil || delta < best!.2 { best = (s, p, delta, piece) }
                    }
                }
            }
            if let b = best, inst.required[v] || b.2 < inst.prize[v] {
                routes[b.0].insert(contentsOf: b.3, at: b.1)
                served.insert(v)
                continue
            }
            if !inst.required[v] && best != nil {
                reasons[v] = .notProfitable
                continue
            }
            let dominant = failures.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key ?? why
            reasons[v] = map(dominant)
        }
        return build(routes, reasons: reasons, iterations: iterations, runtime: runtime)
    }

    private func map(_ v: Violation) -> UnassignedReason {
        switch v {
        case .none: .fleetSize
        case .skills: .skills
        case .capacity: .capacity
        case .timeWindow: .timeWindow
        case .maxDuration: .maxDuration
        case .maxDistance: .maxDistance
        }
    }

    private func build(_ slots: [[Int]], reasons: [Int: UnassignedReason], iterations: Int, runtime: Double) -> Solution {
        let nd = inst.depotCount
        var out: [Route] = []
        var totalDist: Int64 = 0, totalDur: Int64 = 0, total: Int64 = 0
        var served = [Bool](repeating: false, count: inst.nodeCount)
        var feasible = true
        for (s, route) in slots.enumerated() where route.contains(where: { $0 >= nd }) {
            let vt = inst.slotType[s]
            // Reloads next to each other or to the route's ends carry no trip.
            var seq: [Int] = []
            for v in route where !(v < nd && (seq.isEmpty || seq.last! < nd)) { seq.append(v) }
            while let l = seq.last, l < nd { seq.removeLast() }
            let nodes = [inst.vtStart[vt]] + seq + [inst.vtEnd[vt]]
            if check(vt, seq).0 > 0 { feasible = false }
            let sched = ExactSchedule.simulate(inst, vt: vt, nodes: nodes)
            var dist: Int64 = 0
            for k in 1..<nodes.count { dist += inst.d(nodes[k - 1], nodes[k]) }
            var visits: [Visit] = []
            var clients: [Int] = []
            var trips: [Trip] = []
            // Trips: split at reload depots; each leaves with its own deliveries.
            var tripNodes: [[Int]] = [[]]
            for v in seq { if v < nd { tripNodes.append([]) } else { tripNodes[tripNodes.count - 1].append(v) } }
            var depotOfTrip = inst.data.vehicleTypes[vt].startDepot
            var k = 1  // position in nodes
            for (t, tn) in tripNodes.enumerated() {
                var load = Load.zero
                for v in tn { load &+= inst.delivery[v] }
                let startLoad = Array((0..<inst.dims).map { load[$0] })
                let first = visits.count
                var tripDist: Int64 = 0
                for v in tn {
                    tripDist += inst.d(nodes[k - 1], nodes[k])
                    k += 1
                    served[v] = true
                    load = load &- inst.delivery[v] &+ inst.pickup[v]
                    let i = visits.count
                    let startT = inst.hasTime ? sched.serviceStart[i] : 0
                    clients.append(v - nd)
                    visits.append(Visit(
                        client: v - nd, arrival: inst.hasTime ? sched.arrival[i] : 0, serviceStart: startT,
                        departure: startT + inst.service[v], loadAfter: (0..<inst.dims).map { load[$0] }))
                }
                tripDist += inst.d(nodes[k - 1], nodes[k])
                let endDepot = k == nodes.count - 1 ? inst.data.vehicleTypes[vt].endDepot : nodes[k]
                k += 1
                trips.append(Trip(
                    startDepot: depotOfTrip, endDepot: endDepot, visits: first..<visits.count,
                    startTime: inst.hasTime ? sched.tripStart[t] : 0, endTime: inst.hasTime ? sched.tripEnd[t] : 0,
                    startLoad: startLoad, endLoad: (0..<inst.dims).map { load[$0] }, distance: tripDist))
                depotOfTrip = endDepot
            }
            let duration = inst.hasTime ? sched.duration : 0
            let cost = inst.vtFixed[vt] + inst.vtUnitDist[vt] * dist + inst.vtUnitDur[vt] * duration
            out.append(Route(
                vehicleType: vt, vehicle: inst.slotVehicle[s], clients: clients, visits: visits,
                startTime: inst.hasTime ? sched.start : 0, endTime: inst.hasTime ? sched.end : 0,
                startLoad: trips[0].startLoad, distance: dist, duration: duration, cost: cost, trips: trips))
            totalDist += dist
            totalDur += duration
            total += cost
        }
        var unassigned: [UnassignedClient] = []
        var prizes: Int64 = 0
        for v in nd..<inst.nodeCount where !served[v] {
            let reason = inst.preReason[v] ?? reasons[v] ?? (inst.required[v] ? .fleetSize : .notProfitable)
            unassigned.append(UnassignedClient(client: v - nd, reason: reason, required: inst.required[v]))
            if !inst.required[v] { prizes += inst.prize[v] }
        }
        return Solution(
            routes: out, unassigned: unassigned, cost: total + prizes, distance: totalDist, duration: totalDur,
            prizesLost: prizes, isFeasible: feasible, isComplete: !unassigned.contains { $0.required },
            iterations: iterations, runtime: runtime)
    }
}
