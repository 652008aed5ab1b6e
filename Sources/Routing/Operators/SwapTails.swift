/// 2-opt* (swap tails): route R keeps its nodes up to `u` and takes S's nodes after `v`;
/// S keeps its nodes up to `v` and takes R's nodes after `u`. Each route keeps its own
/// vehicle and end depot.
extension LocalSearch {
    @inline(__always)
    func swapTails(_ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) -> Bool {
        let delta = evaluateSwapTails(ru, pu, rv, pv)
        if delta >= 0 { return false }
        applySwapTails(ru, pu, rv, pv)
        return true
    }

    /// Distance from position `p` of route `r` to its last client, then to depot `end`.
    @inline(__always)
    private func tailDistance(_ r: RouteState, from p: Int, to end: Int) -> Int64 {
        if p >= r.last { return 0 }
        return r.prefDist[r.last - 1] - r.prefDist[p] + inst.d(r.nodes[r.last - 1], end)
    }

    func evaluateSwapTails(_ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) -> Int64 {
        let R = routes[ru]
        let S = routes[rv]
        guard ru != rv, pu >= 0, pu < R.last, pv >= 0, pv < S.last else { return .max }
        if pu + 1 == R.last && pv + 1 == S.last { return .max }
        let inst = self.inst
        let u = R.nodes[pu], v = S.nodes[pv]
        let endR = inst.vtEnd[R.vt], endS = inst.vtEnd[S.vt]
        let newR = R.prefDist[pu] + (pv + 1 < S.last ? inst.d(u, S.nodes[pv + 1]) + tailDistance(S, from: pv + 1, to: endR) : inst.d(u, endR))
        let newS = S.prefDist[pv] + (pu + 1 < R.last ? inst.d(v, R.nodes[pu + 1]) + tailDistance(R, from: pu + 1, to: endS) : inst.d(v, endS))
        let countR = pu + (S.last - pv - 1), countS = pv + (R.last - pu - 1)
        let bound = (countR == 0 ? 0 : inst.vtFixed[R.vt] + inst.vtUnitDist[R.vt] * newR)
            + (countS == 0 ? 0 : inst.vtFixed[S.vt] + inst.vtUnitDist[S.vt] * newS) - R.cost - S.cost
        if bound >= 0 { return .max }
        if inst.simpleLoads {
            let headR = R.prefLoad[pu].delivery[0], headS = S.prefLoad[pv].delivery[0]
            let tailR = R.load.delivery[0] &- headR, tailS = S.load.delivery[0] &- headS
            return inst.simpleRouteCost(vt: R.vt, clients: countR, dist: newR, load: headR &+ tailS, pen: pen)
                &+ inst.simpleRouteCost(vt: S.vt, clients: countS, dist: newS, load: headS &+ tailR, pen: pen)
                &- R.cost &- S.cost
        }
        var a = SequenceCost(inst, prefixOf: R, through: pu, vt: R.vt)
        let costR = a.finish(inst, suffixOf: S, from: pv + 1, pen: pen)
        var b = SequenceCost(inst, prefixOf: S, through: pv, vt: S.vt)
        let costS = b.finish(inst, suffixOf: R, from: pu + 1, pen: pen)
        return costR + costS - R.cost - S.cost
    }

    func applySwapTails(_ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) {
        let R = routes[ru], S = routes[rv]
        let tailR = Array(R.nodes[(pu + 1)..<R.last]), tailS = Array(S.nodes[(pv + 1)..<S.last])
        R.nodes.replaceSubrange((pu + 1)..<R.last, with: tailS)
        S.nodes.replaceSubrange((pv + 1)..<S.last, with: tailR)
        applied(ru, rv)
    }
}
