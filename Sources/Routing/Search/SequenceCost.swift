/// Builds the cost of a candidate route piece by piece: a cached prefix of one route,
/// single nodes or short ranges, then a cached suffix. Prefix and suffix pieces are O(1).
///
/// Multi-trip routes (`Instance.hasReloads`) hold reload depots between trips. A trip's
/// departure waits for the latest release time of its clients, which is known only once
/// the trip is complete, so the time profile is kept in two parts: `closed` (from the
/// route's start to the arrival at the last reload depot, every earlier trip's release
/// applied) and `dur` (the open trip: from leaving that depot to the last node added),
/// with `rel`, the open trip's release time. A reload closes the open trip:
/// `closed ⊕ release(rel) ⊕ dur`. Loads likewise: `load` is the open trip's,
/// `closedExcess` the overload of the finished trips.
struct SequenceCost {
    var last: Int
    /// Clients (reload depots not counted).
    var clients: Int
    var dist: Int64
    var load: LoadSegment
    var dur: DurationSegment
    var miss: Int64
    /// Vehicle type whose skills the sequence is checked against.
    let vt: Int
    var closed = DurationSegment.empty
    var rel: Int64 = 0
    var closedExcess: Int64 = 0
    var reloads = 0
    /// A reload the vehicle type may not make (unknown depot for it).
    var forbidden = false

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
        if inst.hasReloads {
            closed = r.prefClosed[p]
            rel = r.prefRel[p]
            closedExcess = r.prefClosedExcess[p]
            reloads = r.prefReloads[p]
            clients = p - reloads
            if reloads > 0 && r.vt != vt && inst.vtReloadMask[r.vt] & ~inst.vtReloadMask[vt] != 0 { forbidden = true }
        }
        if p == 0 && r.vt != vt {
            // A bare start depot of another route: use this vehicle type's depot.
            last = inst.vtStart[vt]
            if inst.hasReloads {
                closed = inst.depotSegment(vt)
                dur = .empty
            } else {
                dur = inst.hasTime ? inst.depotSegment(vt) : .empty
            }
        }
    }

    /// The start of an empty route of vehicle type `vt`.
    @inline(__always)
    init(_ inst: Instance, startOf vt: Int) {
        last = inst.vtStart[vt]
        clients = 0
        dist = 0
        load = .empty
        miss = 0
        self.vt = vt
        if inst.hasReloads {
            closed = inst.depotSegment(vt)
            dur = .empty
        } else {
            dur = inst.hasTime ? inst.depotSegment(vt) : .empty
        }
    }

    /// Appends node `v`: a client, or (multi-trip) a reload depot that ends the open trip.
    @inline(__always)
    mutating func add(_ inst: Instance, _ v: Int) {
        dist &+= inst.d(last, v)
        if inst.hasReloads && v < inst.depotCount {
            if inst.hasTime {
                dur = DurationSegment.merge(dur, .empty, edge: inst.t(last, v))
                closed = DurationSegment.merge(DurationSegment.merge(closed, .release(rel), edge: 0), dur, edge: 0)
                dur = .empty
                rel = 0
            }
            closedExcess &+= load.excess(inst.vtCapacity[vt])
            load = .empty
            reloads += 1
            if inst.vtReloadMask[vt] & (1 << UInt64(v)) == 0 { forbidden = true }
            last = v
            return
        }
        load = load + inst.nodeLoad[v]
        if inst.hasTime {
            dur = DurationSegment.merge(dur, inst.clientSegmentDuration(v), edge: inst.t(last, v))
            if inst.hasReloads && inst.release[v] > rel { rel = inst.release[v] }
        }
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

    /// Appends route `r`'s nodes from position `p` on, then this vehicle's end depot,
    /// and returns the penalised cost.
    @inline(__always)
    mutating func finish(_ inst: Instance, suffixOf r: RouteState, from p: Int, pen: Penalties) -> Int64 {
        let l = r.last
        var endFrom = last
        if p < l {
            let first = r.nodes[p]
            dist &+= inst.d(last, first) &+ (r.prefDist[l - 1] &- r.prefDist[p])
            if inst.hasSkills {
                let k = inst.typeCount
                miss += Int64(r.prefMiss[(l - 1) * k + vt] - r.prefMiss[(p - 1) * k + vt])
            }
            endFrom = r.nodes[l - 1]
            if inst.hasReloads {
                appendTripAware(inst, r, p)
            } else {
                load = load + r.sufLoad[p]
                if inst.hasTime { dur = DurationSegment.merge(dur, r.sufDur[p], edge: inst.t(last, first)) }
                clients += l - p
            }
        }
        last = endFrom
        return close(inst, pen: pen)
    }

    /// The suffix from `p` in the multi-trip representation: its head joins the open
    /// trip; if it holds a reload, that trip closes and the suffix's later trips follow.
    @inline(__always)
    private mutating func appendTripAware(_ inst: Instance, _ r: RouteState, _ p: Int) {
        let sr = r.sufReloads[p]
        clients += r.last - p - sr
        load = load + r.sufLoad[p]
        if inst.hasTime {
            dur = DurationSegment.merge(dur, r.sufDur[p], edge: inst.t(last, r.nodes[p]))
            rel = max(rel, r.sufRel[p])
        }
        if sr > 0 {
            if inst.hasTime {
                closed = DurationSegment.merge(DurationSegment.merge(closed, .release(rel), edge: 0), dur, edge: 0)
                closed = DurationSegment.merge(closed, r.sufTail[p], edge: 0)
                dur = .empty
                rel = 0
            }
            closedExcess &+= load.excess(inst.vtCapacity[vt]) &+ r.sufTailExcess[p]
            load = .empty
            reloads += sr
            if r.vt != vt && inst.vtReloadMask[r.vt] & ~inst.vtReloadMask[vt] != 0 { forbidden = true }
        }
    }

    /// The whole route's time profile (multi-trip: closed part, release, open trip).
    @inline(__always)
    func total(_ inst: Instance) -> DurationSegment {
        inst.hasReloads ? DurationSegment.merge(DurationSegment.merge(closed, .release(rel), edge: 0), dur, edge: 0) : dur
    }

    /// Closes the sequence at this vehicle's end depot and returns the penalised cost.
    @inline(__always)
    mutating func close(_ inst: Instance, pen: Penalties) -> Int64 {
        let end = inst.vtEnd[vt]
        dist &+= inst.d(last, end)
        if inst.hasTime { dur = DurationSegment.merge(dur, inst.depotSegment(vt), edge: inst.t(last, end)) }
        last = end
        if inst.hasReloads {
            return inst.price(vt: vt, measures(inst), pen: pen)
                &+ (forbidden || reloads > inst.vtMaxReloads[vt] ? Instance.forbiddenMove : 0)
        }
        return inst.routeCost(vt: vt, clients: clients, dist: dist, load: load, dur: dur, miss: miss, pen: pen)
    }

    /// The measures of a closed sequence (after `close`).
    func measures(_ inst: Instance) -> RouteMeasures {
        let d = inst.hasTime ? total(inst) : .empty
        return RouteMeasures(
            clients: clients, distance: dist, loadExcess: closedExcess &+ load.excess(inst.vtCapacity[vt]),
            duration: d.duration, timeWarp: d.timeWarp, skillMisses: miss, reloads: reloads)
    }
}
