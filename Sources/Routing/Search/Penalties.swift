/// Weights that price constraint violations during the search. They adapt so that a
/// target share of local-search results is feasible (Vidal 2012).
struct Penalties {
    var load: Double
    var timeWarp: Double
    var distance: Double

    func scaled(_ f: Double) -> Penalties {
        Penalties(load: load * f, timeWarp: timeWarp * f, distance: distance * f)
    }
}

extension Instance {
    /// Penalised cost of a route for vehicle type `vt`. Empty routes are free.
    @inline(__always)
    func routeCost(
        vt: Int, clients: Int, dist: Int64, load: LoadSegment, dur: DurationSegment, miss: Int64,
        pen: Penalties
    ) -> Int64 {
        if clients == 0 { return 0 }
        var c = vtFixed[vt] &+ vtUnitDist[vt] &* dist
        let ex = load.excess(vtCapacity[vt])
        if ex > 0 { c &+= Int64(Double(ex) * pen.load + 0.5) }
        if hasTime {
            c &+= vtUnitDur[vt] &* dur.duration
            let warp = dur.timeWarp &+ max(0, dur.duration &- vtMaxDuration[vt])
            if warp > 0 { c &+= Int64(Double(warp) * pen.timeWarp + 0.5) }
        }
        if hasDistanceLimit && dist > vtMaxDistance[vt] {
            c &+= Int64(Double(dist &- vtMaxDistance[vt]) * pen.distance + 0.5)
        }
        if miss > 0 { c &+= miss &* skillPenalty }
        return c
    }
}

extension Instance {
    /// Route cost when `simpleLoads` holds: fixed + distance + overload penalty.
    @inline(__always)
    func simpleRouteCost(vt: Int, clients: Int, dist: Int64, load: Int64, pen: Penalties) -> Int64 {
        if clients == 0 { return 0 }
        let ex = load &- vtCapacity[vt][0]
        return vtFixed[vt] &+ vtUnitDist[vt] &* dist &+ (ex > 0 ? Int64(Double(ex) * pen.load + 0.5) : 0)
    }
}
