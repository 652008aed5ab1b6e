/// A complete solution as the genetic search sees it: client nodes per route slot, the
/// giant tour used by crossover, neighbour links for the diversity measure and the
/// cost split into objective and violations (so it can be re-priced when the penalty
/// weights change).
struct Individual {
    var routes: [[Int]]
    var tour: [Int]
    /// Successor/predecessor of each node (-1: a depot, -2: not served).
    var succ: [Int32]
    var pred: [Int32]
    var objective: Int64 = 0
    var loadExcess: Int64 = 0
    var timeWarp: Int64 = 0
    var distanceExcess: Int64 = 0
    var skillMisses: Int64 = 0

    var isFeasible: Bool { loadExcess == 0 && timeWarp == 0 && distanceExcess == 0 && skillMisses == 0 }
    var loadFeasible: Bool { loadExcess == 0 }
    var timeFeasible: Bool { timeWarp == 0 }

    init(_ inst: Instance, routes: [[Int]]) {
        self.routes = routes
        succ = [Int32](repeating: -2, count: inst.nodeCount)
        pred = succ
        tour = []
        tour.reserveCapacity(inst.activeClients.count)
        var served = [Bool](repeating: false, count: inst.nodeCount)
        let nd = inst.depotCount
        for (k, r) in routes.enumerated() where !r.isEmpty {
            let vt = inst.slotType[k]
            for (i, v) in r.enumerated() where v >= nd {
                served[v] = true
                tour.append(v)
                succ[v] = i + 1 < r.count && r[i + 1] >= nd ? Int32(r[i + 1]) : -1
                pred[v] = i > 0 && r[i - 1] >= nd ? Int32(r[i - 1]) : -1
            }
            // Priced like every route of the search (`Instance.measure`, `price`).
            let m = inst.measure(vt: vt, nodes: r)
            if m.clients == 0 { continue }
            objective += inst.vtFixed[vt] + inst.vtUnitDist[vt] * m.distance
            loadExcess += m.loadExcess
            if inst.hasTime {
                objective += inst.vtUnitDur[vt] * m.duration
                timeWarp += m.timeWarp + max(0, m.duration - inst.vtMaxDuration[vt])
            }
            if m.distance > inst.vtMaxDistance[vt] { distanceExcess += m.distance - inst.vtMaxDistance[vt] }
            skillMisses += m.skillMisses
            if m.reloads > inst.vtMaxReloads[vt] { skillMisses += Int64(m.reloads - inst.vtMaxReloads[vt]) }
        }
        for v in inst.activeClients where !served[v] {
            objective += inst.prize[v]
            tour.append(v)
        }
    }

    /// Objective plus violations priced by `pen`.
    func penalised(_ inst: Instance, _ pen: Penalties) -> Int64 {
        var c = objective + skillMisses * inst.skillPenalty
        c += Int64((Double(loadExcess) * pen.load).rounded())
        c += Int64((Double(timeWarp) * pen.timeWarp).rounded())
        c += Int64((Double(distanceExcess) * pen.distance).rounded())
        return c
    }

    /// Broken-pairs distance (share of clients whose neighbours differ), in [0, 1].
    func brokenPairs(_ o: Individual, _ inst: Instance) -> Double {
        var diff = 0
        for v in inst.activeClients {
            let s = succ[v], p = pred[v]
            if s == -2 || o.succ[v] == -2 {
                if s != o.succ[v] { diff += 1 }
                continue
            }
            if s != o.succ[v] && s != o.pred[v] { diff += 1 }
            if p == -1 && o.pred[v] != -1 && o.succ[v] != -1 { diff += 1 }
        }
        return Double(diff) / Double(max(1, inst.activeClients.count))
    }
}
