/// One route slot during local search, with cached prefix/suffix segments so that most
/// moves are evaluated in O(1) (Vidal 2013; PyVRP's route proxies).
///
/// Positions: 0 is the start depot, `nodes.count - 1` the end depot. Prefix caches cover
/// nodes `0...i`; suffix caches cover clients `i..<last` (the end depot is left out so a
/// suffix can be moved to a route that ends at another depot).
final class RouteState {
    let slot: Int
    let vt: Int
    @exclusivity(unchecked) var nodes: [Int]
    @exclusivity(unchecked) var prefDist: [Int64] = []
    @exclusivity(unchecked) var prefLoad: [LoadSegment] = []
    @exclusivity(unchecked) var sufLoad: [LoadSegment] = []
    @exclusivity(unchecked) var prefDur: [DurationSegment] = []
    @exclusivity(unchecked) var sufDur: [DurationSegment] = []
    // Multi-trip caches (`Instance.hasReloads`; see `SequenceCost`). Prefix `0...i`: the
    // closed part, the open trip's release, the finished trips' overload, reloads so far
    // (`prefDur`/`prefLoad` then hold the open trip). Suffix `i..<last`: `sufDur`/`sufLoad`
    // hold its head up to the arrival at its first reload, `sufRel` the head's release,
    // `sufTail` the rest from that reload on (releases applied), `sufTailExcess` the
    // overload of the trips after it, `sufReloads` the reloads in the suffix.
    @exclusivity(unchecked) var prefClosed: [DurationSegment] = []
    @exclusivity(unchecked) var prefRel: [Int64] = []
    @exclusivity(unchecked) var prefClosedExcess: [Int64] = []
    @exclusivity(unchecked) var prefReloads: [Int] = []
    @exclusivity(unchecked) var sufRel: [Int64] = []
    @exclusivity(unchecked) var sufTail: [DurationSegment] = []
    @exclusivity(unchecked) var sufTailExcess: [Int64] = []
    @exclusivity(unchecked) var sufReloads: [Int] = []
    /// Number of clients in `0...i` whose skills this vehicle type lacks, per type.
    @exclusivity(unchecked) var prefMiss: [Int32] = []
    @exclusivity(unchecked) var distance: Int64 = 0
    @exclusivity(unchecked) var cost: Int64 = 0
    /// Cost above the fixed and distance parts (penalties, duration cost): used to prune.
    @exclusivity(unchecked) var slack: Int64 = 0
    @exclusivity(unchecked) var load = LoadSegment.empty
    @exclusivity(unchecked) var dur = DurationSegment.empty
    @exclusivity(unchecked) var lastModified = 0
    @exclusivity(unchecked) var sectorLow: Int32 = 0
    @exclusivity(unchecked) var sectorHigh: Int32 = 0

    /// Number of clients and index of the end depot; stored (set by `update`) because
    /// they are read in every move evaluation.
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) var last = 1

    init(slot: Int, vt: Int, inst: Instance) {
        self.slot = slot
        self.vt = vt
        nodes = [inst.vtStart[vt], inst.vtEnd[vt]]
    }

    /// Recomputes every cache after the node sequence changed.
    func update(_ inst: Instance, _ pen: Penalties, posOf: inout [Int], routeOf: inout [Int], index: Int) {
        if inst.hasReloads {
            dropUselessReloads(inst)
            updateTrips(inst, pen, posOf: &posOf, routeOf: &routeOf, index: index)
            return
        }
        let n = nodes.count
        count = n - 2
        last = n - 1
        RouteState.resize(&prefDist, n, 0)
        RouteState.resize(&prefLoad, n, .empty)
        RouteState.resize(&sufLoad, n, .empty)
        sufLoad[n - 1] = .empty
        for i in 1..<n {
            prefDist[i] = prefDist[i - 1] + inst.d(nodes[i - 1], nodes[i])
            prefLoad[i] = i < n - 1 ? prefLoad[i - 1] + inst.nodeLoad[nodes[i]] : prefLoad[i - 1]
            if i < n - 1 {
                posOf[nodes[i]] = i
                routeOf[nodes[i]] = index
            }
        }
        if n > 2 {
            for i in stride(from: n - 2, through: 1, by: -1) {
                sufLoad[i] = i == n - 2 ? inst.nodeLoad[nodes[i]] : inst.nodeLoad[nodes[i]] + sufLoad[i + 1]
            }
        }
        if inst.hasTime {
            RouteState.resize(&prefDur, n, .empty)
            RouteState.resize(&sufDur, n, .empty)
            sufDur[n - 1] = .empty
            prefDur[0] = inst.depotSegment(vt)
            for i in 1..<n {
                let s = i == n - 1 ? inst.depotSegment(vt) : inst.clientSegmentDuration(nodes[i])
                prefDur[i] = DurationSegment.merge(prefDur[i - 1], s, edge: inst.t(nodes[i - 1], nodes[i]))
            }
            if n > 2 {
                sufDur[n - 2] = inst.clientSegmentDuration(nodes[n - 2])
                if n > 3 {
                    for i in stride(from: n - 3, through: 1, by: -1) {
                        sufDur[i] = DurationSegment.merge(
                            inst.clientSegmentDuration(nodes[i]), sufDur[i + 1], edge: inst.t(nodes[i], nodes[i + 1]))
                    }
                }
            }
            dur = prefDur[n - 1]
        }
        if inst.hasSkills {
            let k = inst.typeCount
            RouteState.resize(&prefMiss, n * k, 0)
            for t in 0..<k { prefMiss[t] = 0 }
            for i in 1..<n {
                for t in 0..<k {
                    let m: Int32 = i < n - 1 && inst.skills[nodes[i]] & ~inst.vtSkills[t] != 0 ? 1 : 0
                    prefMiss[i * k + t] = prefMiss[(i - 1) * k + t] + m
                }
            }
        }
        distance = prefDist[n - 1]
        load = prefLoad[n - 1]
        let miss = inst.hasSkills ? Int64(prefMiss[(n - 1) * inst.typeCount + vt]) : 0
        cost = inst.routeCost(vt: vt, clients: n - 2, dist: distance, load: load, dur: dur, miss: miss, pen: pen)
        slack = n > 2 ? cost - inst.vtFixed[vt] - inst.vtUnitDist[vt] * distance : 0
        updateSector(inst)
    }

    private func updateSector(_ inst: Instance) {
        let n = nodes.count
        if let ang = inst.angle, n > 2 {
            // Smallest circular arc containing all clients' angles.
            var a = nodes[1..<(n - 1)].filter { $0 >= inst.depotCount }.map { ang[$0] }
            if a.isEmpty { return }
            a.sort()
            var gapAt = a.count - 1
            var gap = a[0] + 65536 - a[a.count - 1]
            for i in 1..<a.count where a[i] - a[i - 1] > gap {
                gap = a[i] - a[i - 1]
                gapAt = i - 1
            }
            sectorLow = a[(gapAt + 1) % a.count]
            sectorHigh = a[gapAt]
        }
    }

    /// Reloads that start an empty trip (right after the start, right before the end, or
    /// after another reload) change nothing but the distance: drop them.
    private func dropUselessReloads(_ inst: Instance) {
        let nd = inst.depotCount
        var i = 1
        while i < nodes.count - 1 {
            if nodes[i] < nd && (nodes[i - 1] < nd || nodes[i + 1] < nd) {
                nodes.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    /// `update` for multi-trip problems: the same quantities, trip by trip.
    private func updateTrips(_ inst: Instance, _ pen: Penalties, posOf: inout [Int], routeOf: inout [Int], index: Int) {
        let n = nodes.count, nd = inst.depotCount
        count = n - 2
        last = n - 1
        RouteState.resize(&prefDist, n, 0)
        RouteState.resize(&prefLoad, n, .empty)
        RouteState.resize(&sufLoad, n, .empty)
        RouteState.resize(&prefDur, n, .empty)
        RouteState.resize(&sufDur, n, .empty)
        RouteState.resize(&prefClosed, n, .empty)
        RouteState.resize(&prefRel, n, 0)
        RouteState.resize(&prefClosedExcess, n, 0)
        RouteState.resize(&prefReloads, n, 0)
        RouteState.resize(&sufRel, n, 0)
        RouteState.resize(&sufTail, n, .empty)
        RouteState.resize(&sufTailExcess, n, 0)
        RouteState.resize(&sufReloads, n, 0)
        var s = SequenceCost(inst, startOf: vt)
        for i in 0..<(n - 1) {
            if i > 0 {
                s.add(inst, nodes[i])
                if nodes[i] >= nd {
                    posOf[nodes[i]] = i
                    routeOf[nodes[i]] = index
                }
            }
            prefDist[i] = s.dist
            prefLoad[i] = s.load
            prefDur[i] = s.dur
            prefClosed[i] = s.closed
            prefRel[i] = s.rel
            prefClosedExcess[i] = s.closedExcess
            prefReloads[i] = s.reloads
        }
        var whole = s
        cost = whole.close(inst, pen: pen)
        prefDist[n - 1] = whole.dist
        prefLoad[n - 1] = whole.load
        prefDur[n - 1] = whole.dur
        prefClosed[n - 1] = whole.closed
        prefRel[n - 1] = whole.rel
        prefClosedExcess[n - 1] = whole.closedExcess
        prefReloads[n - 1] = whole.reloads
        distance = whole.dist
        load = whole.load
        dur = whole.total(inst)
        // Suffixes, backwards.
        sufLoad[n - 1] = .empty
        sufDur[n - 1] = .empty
        sufRel[n - 1] = 0
        sufReloads[n - 1] = 0
        sufTailExcess[n - 1] = 0
        sufTail[n - 1] = .empty
        if n > 2 {
            let cap = inst.vtCapacity[vt]
            for i in stride(from: n - 2, through: 1, by: -1) {
                let v = nodes[i]
                let nextIsEnd = i + 1 == n - 1
                if v < nd {
                    sufDur[i] = .empty
                    sufLoad[i] = .empty
                    sufRel[i] = 0
                    sufReloads[i] = 1 + sufReloads[i + 1]
                    sufTailExcess[i] = sufLoad[i + 1].excess(cap) &+ sufTailExcess[i + 1]
                    if inst.hasTime {
                        var t = DurationSegment.release(sufRel[i + 1])
                        if !nextIsEnd {
                            t = DurationSegment.merge(t, sufDur[i + 1], edge: inst.t(v, nodes[i + 1]))
                            if sufReloads[i + 1] > 0 { t = DurationSegment.merge(t, sufTail[i + 1], edge: 0) }
                        }
                        sufTail[i] = t
                    }
                } else {
                    sufLoad[i] = nextIsEnd ? inst.nodeLoad[v] : inst.nodeLoad[v] + sufLoad[i + 1]
                    sufReloads[i] = sufReloads[i + 1]
                    sufTailExcess[i] = sufTailExcess[i + 1]
                    if inst.hasTime {
                        let c = inst.clientSegmentDuration(v)
                        sufDur[i] = nextIsEnd ? c : DurationSegment.merge(c, sufDur[i + 1], edge: inst.t(v, nodes[i + 1]))
                        sufRel[i] = nextIsEnd ? inst.release[v] : max(inst.release[v], sufRel[i + 1])
                        sufTail[i] = sufTail[i + 1]
                    }
                }
            }
        }
        if inst.hasSkills {
            let k = inst.typeCount
            RouteState.resize(&prefMiss, n * k, 0)
            for t in 0..<k { prefMiss[t] = 0 }
            for i in 1..<n {
                for t in 0..<k {
                    let m: Int32 = i < n - 1 && inst.skills[nodes[i]] & ~inst.vtSkills[t] != 0 ? 1 : 0
                    prefMiss[i * k + t] = prefMiss[(i - 1) * k + t] + m
                }
            }
        }
        slack = n > 2 ? cost - inst.vtFixed[vt] - inst.vtUnitDist[vt] * distance : 0
        updateSector(inst)
    }

    /// Resizes a cache without reallocating when capacity allows.
    @inline(__always)
    static func resize<T>(_ a: inout [T], _ n: Int, _ fill: T) {
        if a.count > n {
            a.removeLast(a.count - n)
        } else if a.count < n {
            a.append(contentsOf: repeatElement(fill, count: n - a.count))
        }
    }

    /// Whether the angular sectors of two routes overlap (with a small tolerance).
    func overlaps(_ o: RouteState, tolerance: Int32) -> Bool {
        func inside(_ x: Int32, _ lo: Int32, _ hi: Int32) -> Bool {
            let span = (hi - lo + 65536) % 65536
            return (x - lo + 65536) % 65536 <= span + tolerance || (lo - x + 65536) % 65536 <= tolerance
        }
        return inside(o.sectorLow, sectorLow, sectorHigh) || inside(sectorLow, o.sectorLow, o.sectorHigh)
    }
}
