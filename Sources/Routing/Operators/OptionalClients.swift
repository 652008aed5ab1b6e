/// Insert and remove moves for optional clients: an unserved optional client is inserted
/// at its best position near its neighbours when the detour costs less than its prize;
/// a served one is dropped when its prize is worth less than the detour; a run of
/// consecutive optional clients (up to a whole route) is dropped when their prizes
/// together are worth less than the detour to them.
extension LocalSearch {
    /// Longest run of clients a segment drop tries, besides the whole route.
    static let maxDropRun = 32
    /// Weights that price a route without its penalties (is it feasible as it stands?).
    static let noPenalties = Penalties(load: 0, timeWarp: 0, distance: 0)

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

    /// Segment drops for every route changed since it was last tried: the best run of
    /// consecutive optional clients whose removal lowers the penalised cost (distance
    /// saved, fixed cost when the route empties, penalties) by more than their prizes.
    ///
    /// Single-client removals cannot leave a clustered group of optional clients whose
    /// only worth together is less than the trip out to them: each one alone is a small
    /// detour once the route is there. Returns whether anything changed.
    func segmentDropPhase() -> Bool {
        guard inst.hasOptional else { return false }
        if dropTested.count != routes.count { dropTested = [Int](repeating: -1, count: routes.count) }
        var improved = false
        for r in routes.indices {
            let R = routes[r]
            if R.count < 2 || R.lastModified <= dropTested[r] { continue }
            dropTested[r] = moveCount
            // Only feasible routes: an infeasible one would shed its penalty by dropping
            // clients that a relocation could serve (measured: worse on wide windows).
            var plain = SequenceCost(inst, prefixOf: R, through: 0, vt: R.vt)
            if plain.finish(inst, suffixOf: R, from: 1, pen: LocalSearch.noPenalties) != R.cost { continue }
            var best: Int64 = 0
            var from = -1, to = -1
            for i in 1..<R.last {
                let head = SequenceCost(inst, prefixOf: R, through: i - 1, vt: R.vt)
                var prizes: Int64 = 0
                var j = i
                while j < R.last {
                    let v = R.nodes[j]
                    if v < inst.depotCount || inst.required[v] { break }
                    prizes &+= inst.prize[v]
                    let whole = i == 1 && j == R.last - 1
                    if j - i < LocalSearch.maxDropRun || whole {
                        var s = head
                        let delta = s.finish(inst, suffixOf: R, from: j + 1, pen: pen) - R.cost + prizes
                        if delta < best { best = delta; from = i; to = j }
                    }
                    j += 1
                }
            }
            guard from >= 0 else { continue }
            let pred = R.nodes[from - 1], succ = R.nodes[to + 1]
            let dropped = Array(R.nodes[from...to])
            R.nodes.removeSubrange(from...to)
            for v in dropped {
                routeOf[v] = -1
                posOf[v] = -1
                lastTested[v] = -1
                markNode(v)
            }
            applied(r, r)
            markNode(pred)
            markNode(succ)
            improved = true
        }
        return improved
    }
}
