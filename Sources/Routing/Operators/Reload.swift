/// Multi-trip moves around client `u`: end a trip right before `u` with a reload at one
/// of the vehicle's reload depots, or drop the reload right before or after `u` (joining
/// two trips). Evaluated from the cached trip-aware prefix and suffix like every move.
extension LocalSearch {
    /// Cost delta of inserting reload depot `d` before position `p` of route `r`.
    func evaluateAddReload(_ r: Int, _ p: Int, depot d: Int) -> Int64 {
        let R = routes[r]
        guard p >= 2, p < R.last, R.nodes[p] >= inst.depotCount, R.nodes[p - 1] >= inst.depotCount else { return .max }
        var s = SequenceCost(inst, prefixOf: R, through: p - 1, vt: R.vt)
        s.add(inst, d)
        return s.finish(inst, suffixOf: R, from: p, pen: pen) - R.cost
    }

    /// Cost delta of removing the reload at position `p` of route `r`.
    func evaluateRemoveReload(_ r: Int, _ p: Int) -> Int64 {
        let R = routes[r]
        guard p >= 1, p < R.last, R.nodes[p] < inst.depotCount else { return .max }
        var s = SequenceCost(inst, prefixOf: R, through: p - 1, vt: R.vt)
        return s.finish(inst, suffixOf: R, from: p + 1, pen: pen) - R.cost
    }

    /// Tries the reload moves at `u`; applies the best improving one.
    func reloadMoves(_ u: Int) -> Bool {
        let r = routeOf[u], p = posOf[u]
        let R = routes[r]
        let nd = inst.depotCount
        var best: Int64 = 0
        var action = (0, 0, 0)  // kind (1 add, 2 remove), position, depot
        if R.nodes[p - 1] < nd && p - 1 >= 1 {
            let d = evaluateRemoveReload(r, p - 1)
            if d < best { best = d; action = (2, p - 1, 0) }
        }
        if R.nodes[p + 1] < nd && p + 1 < R.last {
            let d = evaluateRemoveReload(r, p + 1)
            if d < best { best = d; action = (2, p + 1, 0) }
        }
        if R.prefReloads[R.last] < inst.vtMaxReloads[R.vt] {
            for depot in inst.vtReloadDepots[R.vt] {
                let d = evaluateAddReload(r, p, depot: depot)
                if d < best { best = d; action = (1, p, depot) }
            }
        }
        switch action.0 {
        case 1: R.nodes.insert(action.2, at: action.1)
        case 2: R.nodes.remove(at: action.1)
        default: return false
        }
        applied(r, r)
        return true
    }
}
