/// Builds the cost of a candidate route piece by piece: a cached prefix of one route,
/// single nodes or short ranges, then a cached suffix. Prefix and suffix pieces are O(1).
struct SequenceCost {
    var last: Int
    var clients: Int
    var dist: Int64
    var load: LoadSegment
    var dur: DurationSegment
    var miss: Int64
    /// Vehicle type whose skills the sequence is checked against.
    let vt: Int

    /// Starts with route `r`'s nodes `0...p`, to be driven by vehicle type `vt`.
    @inline(__always)
    init(_ inst: Instance, prefixOf r: RouteState, through p: Int, vt: Int) {
        last = r.nodes[p]
        clients = p
        dist = r.prefDist[p]
        load = r.prefLoad[p]
        dur = inst.hasTime ? r.prefDur[p] : .empty
        miss = inst.hasSkills ? Int64(r.prefMiss[p * inst.typeCount + vt]) : 0
        self.vt = vt
        if p == 0 && r.vt != vt {
            // A bare start depot of another route: use this vehicle type's depot.
            last = inst.vtStart[vt]
            dur = inst.hasTime ? inst.depotSegment(vt) : .empty
        }
    }

    @inline(__always)
    mutating func add(_ inst: Instance, _ v: Int) {
        dist &+= inst.d(last, v)
        load = load + inst.nodeLoad[v]
        if inst.hasTime { dur = DurationSegment.merge(dur, inst.clientSegmentDuration(v), edge: inst.t(last, v)) }
        if inst.hasSkills && inst.skills[v] & ~inst.vtSkills[vt] != 0 { miss += 1 }
        last = v
        clients += 1
    }

    /// Appends `r.nodes[i...j]` in order (nothing if `i > j`).
    @inline(__always)
    mutating func addRange(_ inst: Instance, _ r: RouteState, _ i: Int, _ j: Int) {
        if i > j { return }
        var k = i
        while k <= j {
            add(inst, r.nodes[k])
            k += 1
        }
    }

    /// Appends `r.nodes[j], r.nodes[j-1], ..., r.nodes[i]`.
    @inline(__always)
    mutating func addReversed(_ inst: Instance, _ r: RouteState, _ i: Int, _ j: Int) {
        var k = j
        while k >= i {
            add(inst, r.nodes[k])
            k -= 1
        }
    }

    /// Appends route `r`'s clients from position `p` on, then this vehicle's end depot,
    /// and returns the penalised cost.
    @inline(__always)
    mutating func finish(_ inst: Instance, suffixOf r: RouteState, from p: Int, pen: Penalties) -> Int64 {
        let l = r.last
        var endFrom = last
        if p < l {
            let first = r.nodes[p]
            dist &+= inst.d(last, first) &+ (r.prefDist[l - 1] &- r.prefDist[p])
            load = load + r.sufLoad[p]
            if inst.hasTime { dur = DurationSegment.merge(dur, r.sufDur[p], edge: inst.t(last, first)) }
            if inst.hasSkills {
                let k = inst.typeCount
                miss += Int64(r.prefMiss[(l - 1) * k + vt] - r.prefMiss[(p - 1) * k + vt])
            }
            clients += l - p
            endFrom = r.nodes[l - 1]
        }
        let end = inst.vtEnd[vt]
        dist &+= inst.d(endFrom, end)
        if inst.hasTime { dur = DurationSegment.merge(dur, inst.depotSegment(vt), edge: inst.t(endFrom, end)) }
        return inst.routeCost(vt: vt, clients: clients, dist: dist, load: load, dur: dur, miss: miss, pen: pen)
    }

    /// Closes the sequence at this vehicle's end depot and returns the penalised cost.
    @inline(__always)
    mutating func close(_ inst: Instance, pen: Penalties) -> Int64 {
        let end = inst.vtEnd[vt]
        dist &+= inst.d(last, end)
        if inst.hasTime { dur = DurationSegment.merge(dur, inst.depotSegment(vt), edge: inst.t(last, end)) }
        return inst.routeCost(vt: vt, clients: clients, dist: dist, load: load, dur: dur, miss: miss, pen: pen)
    }
}
