/// Insert and remove moves for optional clients: an unserved optional client is inserted
/// at its best position near its neighbours when the detour costs less than its prize;
/// a served one is dropped when its prize is worth less than the detour.
extension LocalSearch {
    /// Cost delta of inserting node `u` right after position `p` of route `r`.
    @inline(__always)
    func evaluateInsert(_ u: Int, _ r: Int, _ p: Int) -> Int64 {
        let R = routes[r]
        var s = SequenceCost(inst, prefixOf: R, through: p, vt: R.vt)
        s.add(inst, u)
        return s.finish(inst, suffixOf: R, from: p + 1, pen: pen) - R.cost
    }

    /// Inserts unrouted client `u` at its cheapest position among its neighbours' routes
    /// and empty routes; an optional client only if that costs less than its prize (or
    /// `force`).
    func tryInsertUnassigned(_ u: Int, force: Bool = false) -> Bool {
        var best = inst.required[u] || force ? Int64.max : inst.prize[u]
        var at = (-1, -1)
        for v32 in inst.neighbours[u] {
            let v = Int(v32)
            let r = routeOf[v]
            if r < 0 { continue }
            let p = posOf[v]
            let c = evaluateInsert(u, r, p)
            if c < best { best = c; at = (r, p) }
            if p == 1 {
                let c0 = evaluateInsert(u, r, 0)
                if c0 < best { best = c0; at = (r, 0) }
            }
        }
        for t in 0..<inst.typeCount {
            if let e = firstEmptySlot(type: t) {
                let c = evaluateInsert(u, e, 0)
                if c < best { best = c; at = (e, 0) }
            }
        }
        guard at.0 >= 0 else { return false }
        routes[at.0].nodes.insert(u, at: at.1 + 1)
        applied(at.0, at.0)
        return true
    }

    func tryRemoveOptional(_ u: Int) -> Bool {
        let r = routeOf[u], p = posOf[u]
        let R = routes[r]
        var s = SequenceCost(inst, prefixOf: R, through: p - 1, vt: R.vt)
        let delta = s.finish(inst, suffixOf: R, from: p + 1, pen: pen) - R.cost + inst.prize[u]
        if delta >= 0 { return false }
        R.nodes.remove(at: p)
        routeOf[u] = -1
        posOf[u] = -1
        lastTested[u] = -1
        applied(r, r)
        return true
    }
}
