/// Exact forward simulation of one route, honouring every time window of a client
/// (not just the hull the O(1) evaluation uses). Used to validate final routes and to
/// report the schedule.
struct ExactSchedule {
    var start: Int64 = 0
    var end: Int64 = 0
    var arrival: [Int64] = []
    var serviceStart: [Int64] = []
    /// Total lateness (time warp) over windows and the shift end; zero when feasible.
    var lateness: Int64 = 0
    var duration: Int64 { end - start }

    /// Simulates `nodes` (start depot, clients..., end depot) for vehicle type `vt`.
    static func simulate(_ inst: Instance, vt: Int, nodes: [Int]) -> ExactSchedule {
        // The segment algebra gives the start time that minimises duration; with
        // several windows per client that start may miss a window, so also try the
        // earliest start and keep the less late (then shorter) schedule.
        var seg = inst.depotSegment(vt)
        for k in 1..<nodes.count {
            let v = nodes[k]
            let s = v < inst.depotCount ? inst.depotSegment(vt) : inst.clientSegmentDuration(v)
            seg = DurationSegment.merge(seg, s, edge: inst.t(nodes[k - 1], v))
        }
        let shift = inst.vtShift[vt]
        let a = max(shift.start, min(seg.early, seg.late))
        let first = run(inst, vt: vt, nodes: nodes, start: a)
        if first.lateness == 0 || a == shift.start { return first }
        let second = run(inst, vt: vt, nodes: nodes, start: shift.start)
        return second.lateness < first.lateness ? second : first
    }

    private static func run(_ inst: Instance, vt: Int, nodes: [Int], start: Int64) -> ExactSchedule {
        var r = ExactSchedule()
        r.start = start
        var time = start
        let windows = inst.data.clients
        for k in 1..<nodes.count {
            let v = nodes[k]
            time += inst.t(nodes[k - 1], v)
            if v < inst.depotCount {
                r.end = time
                if time > inst.vtShift[vt].end { r.lateness += time - inst.vtShift[vt].end }
                break
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
