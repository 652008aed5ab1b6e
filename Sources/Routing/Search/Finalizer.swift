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
        let miss = clients.filter { inst.skills[$0] & ~inst.vtSkills[vt] != 0 }.count
        if miss > 0 { note(Double(miss) * 100, .skills) }
        var load = LoadSegment.empty
        for v in clients { load = load + inst.nodeLoad[v] }
        let ex = load.excess(inst.vtCapacity[vt])
        if ex > 0 { note(Double(ex) / Double(max(1, inst.vtCapacity[vt].max())), .capacity) }
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
                for k in routes[s].indices {
                    var r = routes[s]
                    r.remove(at: k)
                    let sc = check(vt, r).0
                    if sc < bestScore { bestScore = sc; bestK = k }
                }
                pool.append((routes[s].remove(at: bestK), kind))
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
            var best: (Int, Int, Int64)? = nil
            var failures: [Violation: Int] = [:]
            var triedEmpty = Set<Int>()
            for s in 0..<slots {
                let vt = inst.slotType[s]
                if routes[s].isEmpty {
                    if triedEmpty.contains(vt) { continue }
                    triedEmpty.insert(vt)
                }
                let base = cost(vt, routes[s])
                for p in 0...routes[s].count {
                    var r = routes[s]
                    r.insert(v, at: p)
                    let (sc, kind) = check(vt, r)
                    if sc > 0 {
                        failures[kind, default: 0] += 1
                        continue
                    }
                    let delta = cost(vt, r) - base
                    if best == nil || delta < best!.2 { best = (s, p, delta) }
                }
            }
            if let b = best, inst.required[v] || b.2 < inst.prize[v] {
                routes[b.0].insert(v, at: b.1)
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
        for (s, clients) in slots.enumerated() where !clients.isEmpty {
            let vt = inst.slotType[s]
            let nodes = [inst.vtStart[vt]] + clients + [inst.vtEnd[vt]]
            if check(vt, clients).0 > 0 { feasible = false }
            let sched = ExactSchedule.simulate(inst, vt: vt, nodes: nodes)
            var dist: Int64 = 0
            for k in 1..<nodes.count { dist += inst.d(nodes[k - 1], nodes[k]) }
            var load = Load.zero
            for v in clients { load &+= inst.delivery[v] }
            let startLoad = Array((0..<inst.dims).map { load[$0] })
            var visits: [Visit] = []
            for (i, v) in clients.enumerated() {
                served[v] = true
                load = load &- inst.delivery[v] &+ inst.pickup[v]
                let startT = inst.hasTime ? sched.serviceStart[i] : 0
                visits.append(Visit(
                    client: v - nd, arrival: inst.hasTime ? sched.arrival[i] : 0, serviceStart: startT,
                    departure: startT + inst.service[v], loadAfter: (0..<inst.dims).map { load[$0] }))
            }
            let duration = inst.hasTime ? sched.duration : 0
            let cost = inst.vtFixed[vt] + inst.vtUnitDist[vt] * dist + inst.vtUnitDur[vt] * duration
            out.append(Route(
                vehicleType: vt, vehicle: inst.slotVehicle[s], clients: clients.map { $0 - nd }, visits: visits,
                startTime: inst.hasTime ? sched.start : 0, endTime: inst.hasTime ? sched.end : 0,
                startLoad: startLoad, distance: dist, duration: duration, cost: cost))
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
