/// Exact forward simulation of one route, honouring every time window of a client
/// (not just the hull the O(1) evaluation uses) and, on multi-trip routes, each trip's
/// release time at its depot. Used to validate final routes and to report the schedule.
struct ExactSchedule {
    var start: Int64 = 0
    var end: Int64 = 0
    /// Per client visit, in route order.
    var arrival: [Int64] = []
    var serviceStart: [Int64] = []
    /// Per trip: departure from its depot and arrival at the next depot.
    var tripStart: [Int64] = []
    var tripEnd: [Int64] = []
    /// Total lateness (time warp) over windows and the shift end; zero when feasible.
    var lateness: Int64 = 0
    var duration: Int64 { end - start }

    /// Simulates `nodes` (start depot, clients and reload depots..., end depot) for
    /// vehicle type `vt`.
    static func simulate(_ inst: Instance, vt: Int, nodes: [Int]) -> ExactSchedule {
        // The segment algebra gives the start time that minimises duration; with
        // several windows per client that start may miss a window, so also try the
        // earliest start and keep the less late (then shorter) schedule.
        var s = SequenceCost(inst, startOf: vt)
        for k in 1..<(nodes.count - 1) { s.add(inst, nodes[k]) }
        _ = s.close(inst, pen: Penalties(load: 0, timeWarp: 0, distance: 0))
        let seg = s.total(inst)
        // Release time of each trip (the max over its clients).
        var release: [Int64] = [0]
        for k in 1..<(nodes.count - 1) {
            let v = nodes[k]
            if v < inst.depotCount {
                release.append(0)
            } else {
                release[release.count - 1] = max(release[release.count - 1], inst.release[v])
            }
        }
        let shift = inst.vtShift[vt]
        let a = max(shift.start, min(seg.early, seg.late))
        let first = run(inst, vt: vt, nodes: nodes, start: a, release: release)
        if first.lateness == 0 || a == shift.start { return first }
        let second = run(inst, vt: vt, nodes: nodes, start: shift.start, release: release)
        return second.lateness < first.lateness ? second : first
    }

    private static func run(_ inst: Instance, vt: Int, nodes: [Int], start: Int64, release: [Int64]) -> ExactSchedule {
        var r = ExactSchedule()
        var time = max(start, release[0])
        r.start = time
        r.tripStart.append(time)
        let windows = inst.data.clients
        for k in 1..<nodes.count {
            let v = nodes[k]
            time += inst.t(nodes[k - 1], v)
            if v < inst.depotCount {
                r.tripEnd.append(time)
                if k == nodes.count - 1 {
                    r.end = time
                    if time > inst.vtShift[vt].end { r.lateness += time - inst.vtShift[vt].end }
                    break
                }
                // A reload: the next trip leaves once its goods are released.
                time = max(time, release[r.tripStart.count])
                r.tripStart.append(time)
                continue
            }
            r.arrival.append(time)
            var begin = max(time, inst.twEarly[v])
            if begin > inst.twLate[v] {
                r.lateness += begin - inst.twLate[v]
                begin = inst.twLate[v]
            } else if inst.multiWindow[v] {
                let ws = windows[v - inst.depotCount].timeWindows
                if let w = ws.first(where: { $0.end >= time }) { begin = max(time, w.start) }
            }
            r.serviceStart.append(begin)
            time = begin + inst.service[v]
        }
        return r
    }
}
