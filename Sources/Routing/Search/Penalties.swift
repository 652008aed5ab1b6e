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

/// What a route costs before pricing: the same measures for moves, Split, individuals
/// and the final solution, priced by the one function `Instance.price`.
struct RouteMeasures {
    var clients: Int
    var distance: Int64
    /// Load above capacity, summed over dimensions and trips.
    var loadExcess: Int64
    var duration: Int64
    /// Lateness over windows, shift and release times (not yet the maximum duration).
    var timeWarp: Int64
    var skillMisses: Int64
    var reloads: Int
}

extension Instance {
    /// Added to the cost of a route the vehicle cannot drive at all (a reload it may not
    /// make, too many reloads): larger than any real cost, small enough not to overflow.
    static let forbiddenMove: Int64 = 1 << 50

    /// The price of a route for vehicle type `vt`: fixed + distance + duration costs plus
    /// the violations weighted by `pen`. Empty routes are free. Every cost in the search
    /// and in the final solution goes through here.
    @inline(__always)
    func price(vt: Int, _ m: RouteMeasures, pen: Penalties) -> Int64 {
        if m.clients == 0 { return 0 }
        var c = vtFixed[vt] &+ vtUnitDist[vt] &* m.distance
        if m.loadExcess > 0 { c &+= Int64(Double(m.loadExcess) * pen.load + 0.5) }
        if hasTime {
            c &+= vtUnitDur[vt] &* m.duration
            let warp = m.timeWarp &+ max(0, m.duration &- vtMaxDuration[vt])
            if warp > 0 { c &+= Int64(Double(warp) * pen.timeWarp + 0.5) }
        }
        if hasDistanceLimit && m.distance > vtMaxDistance[vt] {
            c &+= Int64(Double(m.distance &- vtMaxDistance[vt]) * pen.distance + 0.5)
        }
        if m.skillMisses > 0 { c &+= m.skillMisses &* skillPenalty }
        return c
    }

    /// Penalised cost of a single-trip route for vehicle type `vt` (see `price`).
    @inline(__always)
    func routeCost(
        vt: Int, clients: Int, dist: Int64, load: LoadSegment, dur: DurationSegment, miss: Int64,
        pen: Penalties
    ) -> Int64 {
        if clients == 0 { return 0 }
        return price(
            vt: vt,
            RouteMeasures(
                clients: clients, distance: dist, loadExcess: load.excess(vtCapacity[vt]), duration: dur.duration,
                timeWarp: dur.timeWarp, skillMisses: miss, reloads: 0),
            pen: pen)
    }

    /// Measures of route `nodes` (clients and reload depots, without start and end depots)
    /// for vehicle type `vt`, computed with the search's own segment algebra.
    func measure(vt: Int, nodes: [Int]) -> RouteMeasures {
        var s = SequenceCost(self, startOf: vt)
        for v in nodes { s.add(self, v) }
        _ = s.close(self, pen: Penalties(load: 0, timeWarp: 0, distance: 0))
        return s.measures(self)
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

extension Penalties {
    /// Moves each weight toward the share of feasible recent candidates `target`: up by
    /// `increase` when too few were feasible, down by 0.85 when too many (weights stay in
    /// [0.1, 1e6]). A dimension the instance does not have, or with no history, is kept.
    mutating func adapt(toward target: Double, increase: Double, load: [Bool], time: [Bool], distance: [Bool], _ inst: Instance) {
        func adapted(_ w: Double, _ history: [Bool]) -> Double {
            guard !history.isEmpty else { return w }
            let share = Double(history.filter { $0 }.count) / Double(history.count)
            if share < target - 0.05 { return min(w * increase, 1e6) }
            if share > target + 0.05 { return max(w * 0.85, 0.1) }
            return w
        }
        self.load = adapted(self.load, load)
        if inst.hasTime { timeWarp = adapted(timeWarp, time) }
        if inst.hasDistanceLimit { self.distance = adapted(self.distance, distance) }
    }
}
