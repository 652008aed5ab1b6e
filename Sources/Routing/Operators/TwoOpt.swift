/// Intra-route 2-opt: reverses the clients between `u` and `v` (exclusive of the first),
/// replacing edges (u, u+) and (v, v+) by (u, v) and (u+, v+). Works with asymmetric
/// matrices because the reversed run is re-evaluated node by node.
extension LocalSearch {
    @inline(__always)
    func twoOpt(_ r: Int, _ pu: Int, _ pv: Int) -> Bool {
        let (i, j) = pu < pv ? (pu, pv) : (pv, pu)
        let delta = evaluateTwoOpt(r, i, j)
        if delta >= 0 { return false }
        applyTwoOpt(r, i, j)
        return true
    }

    /// Delta of reversing positions `i+1...j` of route `r` (i < j).
    func evaluateTwoOpt(_ r: Int, _ i: Int, _ j: Int) -> Int64 {
        let R = routes[r]
        guard j > i + 1, j < R.last else { return .max }
        let inst = self.inst
        let n = R.nodes
        // For symmetric distances the cheap bound is exact on the distance part.
        let bound = inst.vtUnitDist[R.vt]
            * (inst.d(n[i], n[j]) + inst.d(n[i + 1], n[j + 1]) - inst.d(n[i], n[i + 1]) - inst.d(n[j], n[j + 1]))
            - R.slack
        if inst.symmetric && bound >= 0 { return .max }
        var s = SequenceCost(inst, prefixOf: R, through: i, vt: R.vt)
        s.addReversed(inst, R, i + 1, j)
        return s.finish(inst, suffixOf: R, from: j + 1, pen: pen) - R.cost
    }

    func applyTwoOpt(_ r: Int, _ i: Int, _ j: Int) {
        routes[r].nodes[(i + 1)...j].reverse()
        applied(r, r)
    }
}
