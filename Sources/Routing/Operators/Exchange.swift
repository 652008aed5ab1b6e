/// Exchange(N, M): the N consecutive clients starting at `u` trade places with the M
/// consecutive clients starting at `v`; with M = 0 the first segment moves to right
/// after `v`. Covers relocate (1,0), or-opt (2,0), (3,0), swap (1,1) and the
/// segment swaps (2,1), (2,2), within a route or between two routes.
extension LocalSearch {
    /// Evaluates the move and applies it when it lowers the penalised cost.
    @inline(__always)
    func exchange(_ n: Int, _ m: Int, _ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) -> Bool {
        let delta = evaluateExchange(n, m, ru, pu, rv, pv)
        if delta >= 0 { return false }
        applyExchange(n, m, ru, pu, rv, pv)
        return true
    }

    /// Cost delta of Exchange(n, m), or `Int64.max` if the move is invalid or pruned.
    func evaluateExchange(_ n: Int, _ m: Int, _ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) -> Int64 {
        let R = routes[ru]
        let S = routes[rv]
        let inst = self.inst
        guard pu >= 1, pu + n <= R.last else { return .max }
        if m > 0 { guard pv >= 1, pv + m <= S.last else { return .max } }
        if inst.hasReloads {
            // Reload visits belong to their route: moved segments hold clients only.
            let nd = inst.depotCount
            for k in pu..<(pu + n) where R.nodes[k] < nd { return .max }
            for k in pv..<(pv + m) where S.nodes[k] < nd { return .max }
        }
        if ru == rv {
            if m == 0 {
                if pv >= pu - 1 && pv < pu + n { return .max }
            } else if pu < pv ? pu + n > pv : pv + m > pu {
                return .max
            }
            // Bound: the distance part of the delta is O(1); penalties and duration costs
            // (the route's `slack`) can at best fall to zero.
            let nd = R.nodes
            let uFirst = nd[pu], uLast = nd[pu + n - 1]
            var dd = -inst.d(nd[pu - 1], uFirst) - inst.d(uLast, nd[pu + n])
            if m == 0 {
                dd += inst.d(nd[pu - 1], nd[pu + n]) + inst.d(nd[pv], uFirst) + inst.d(uLast, nd[pv + 1]) - inst.d(nd[pv], nd[pv + 1])
            } else {
                let vFirst = nd[pv], vLast = nd[pv + m - 1]
                if pu + n == pv || pv + m == pu {
                    // Adjacent segments: a, X, Y, b becomes a, Y, X, b.
                    let (aX, xl, yf, yb) = pu < pv ? (nd[pu - 1], uLast, vFirst, nd[pv + m]) : (nd[pv - 1], vLast, uFirst, nd[pu + n])
                    let (xf, yl) = pu < pv ? (uFirst, vLast) : (vFirst, uLast)
                    dd = inst.d(aX, yf) + inst.d(yl, xf) + inst.d(xl, yb) - inst.d(aX, xf) - inst.d(xl, yf) - inst.d(yl, yb)
                } else {
                    dd += inst.d(nd[pu - 1], vFirst) + inst.d(vLast, nd[pu + n])
                        + inst.d(nd[pv - 1], uFirst) + inst.d(uLast, nd[pv + m])
                        - inst.d(nd[pv - 1], vFirst) - inst.d(vLast, nd[pv + m])
                }
            }
            if inst.vtUnitDist[R.vt] &* dd &- R.slack >= 0 { return .max }
            var s: SequenceCost
            if pu < pv {
                if m == 0 {
                    s = SequenceCost(inst, prefixOf: R, through: pu - 1, vt: R.vt)
                    s.addRange(inst, R, pu + n, pv)
                    s.addRange(inst, R, pu, pu + n - 1)
                    return s.finish(inst, suffixOf: R, from: pv + 1, pen: pen) - R.cost
                }
                s = SequenceCost(inst, prefixOf: R, through: pu - 1, vt: R.vt)
                s.addRange(inst, R, pv, pv + m - 1)
                s.addRange(inst, R, pu + n, pv - 1)
                s.addRange(inst, R, pu, pu + n - 1)
                return s.finish(inst, suffixOf: R, from: pv + m, pen: pen) - R.cost
            }
            if m == 0 {
                s = SequenceCost(inst, prefixOf: R, through: pv, vt: R.vt)
                s.addRange(inst, R, pu, pu + n - 1)
                s.addRange(inst, R, pv + 1, pu - 1)
                return s.finish(inst, suffixOf: R, from: pu + n, pen: pen) - R.cost
            }
            s = SequenceCost(inst, prefixOf: R, through: pv - 1, vt: R.vt)
            s.addRange(inst, R, pu, pu + n - 1)
            s.addRange(inst, R, pv + m, pu - 1)
            s.addRange(inst, R, pv, pv + m - 1)
            return s.finish(inst, suffixOf: R, from: pu + n, pen: pen) - R.cost
        }

        // Between routes: prune with distances first (penalties can only fall to zero).
        let u0 = R.nodes[pu], u1 = R.nodes[pu + n - 1]
        let innerU = R.prefDist[pu + n - 1] &- R.prefDist[pu]
        var newR = R.distance &- inst.d(R.nodes[pu - 1], u0) &- innerU &- inst.d(u1, R.nodes[pu + n])
        var newS = S.distance
        if m == 0 {
            newR &+= inst.d(R.nodes[pu - 1], R.nodes[pu + n])
            let a = S.nodes[pv], b = S.nodes[pv + 1]
            newS &+= inst.d(a, u0) &+ innerU &+ inst.d(u1, b) &- inst.d(a, b)
        } else {
            let v0 = S.nodes[pv], v1 = S.nodes[pv + m - 1]
            let innerV = S.prefDist[pv + m - 1] &- S.prefDist[pv]
            newR &+= inst.d(R.nodes[pu - 1], v0) &+ innerV &+ inst.d(v1, R.nodes[pu + n])
            newS &+= inst.d(S.nodes[pv - 1], u0) &+ innerU &+ inst.d(u1, S.nodes[pv + m])
                &- inst.d(S.nodes[pv - 1], v0) &- innerV &- inst.d(v1, S.nodes[pv + m])
        }
        let rEmpty = R.count - n + m == 0
        let bound = (rEmpty ? 0 : inst.vtFixed[R.vt] &+ inst.vtUnitDist[R.vt] &* newR)
            &+ inst.vtFixed[S.vt] &+ inst.vtUnitDist[S.vt] &* newS &- R.cost &- S.cost
        if bound >= 0 { return .max }

        if inst.simpleLoads {
            let lu = R.prefLoad[pu + n - 1].delivery[0] &- R.prefLoad[pu - 1].delivery[0]
            let lv = m > 0 ? S.prefLoad[pv + m - 1].delivery[0] &- S.prefLoad[pv - 1].delivery[0] : 0
            let cR = inst.simpleRouteCost(vt: R.vt, clients: R.count - n + m, dist: newR, load: R.load.delivery[0] &- lu &+ lv, pen: pen)
            let cS = inst.simpleRouteCost(vt: S.vt, clients: S.count + n - m, dist: newS, load: S.load.delivery[0] &- lv &+ lu, pen: pen)
            return cR &+ cS &- R.cost &- S.cost
        }

        var a = SequenceCost(inst, prefixOf: R, through: pu - 1, vt: R.vt)
        if m > 0 { a.addRange(inst, S, pv, pv + m - 1) }
        let costR = a.finish(inst, suffixOf: R, from: pu + n, pen: pen)
        if costR - R.cost + (inst.vtFixed[S.vt] + inst.vtUnitDist[S.vt] * newS - S.cost) >= 0 { return .max }
        var b = SequenceCost(inst, prefixOf: S, through: m == 0 ? pv : pv - 1, vt: S.vt)
        b.addRange(inst, R, pu, pu + n - 1)
        let costS = b.finish(inst, suffixOf: S, from: m == 0 ? pv + 1 : pv + m, pen: pen)
        return costR + costS - R.cost - S.cost
    }

    /// Performs Exchange(n, m) (assumed valid).
    func applyExchange(_ n: Int, _ m: Int, _ ru: Int, _ pu: Int, _ rv: Int, _ pv: Int) {
        let R = routes[ru], S = routes[rv]
        let useg = Array(R.nodes[pu..<(pu + n)])
        let vseg = Array(S.nodes[pv..<(pv + m)])
        if ru == rv {
            var x = R.nodes
            if pu < pv {
                // Remove later segment first so earlier indices stay valid.
                x.replaceSubrange(pv..<(pv + (m == 0 ? 0 : m)), with: [])
                if m == 0 {
                    x.insert(contentsOf: useg, at: pv + 1)
                } else {
                    x.insert(contentsOf: useg, at: pv)
                }
                x.replaceSubrange(pu..<(pu + n), with: vseg)
            } else {
                x.replaceSubrange(pu..<(pu + n), with: vseg)
                if m == 0 {
                    x.insert(contentsOf: useg, at: pv + 1)
                } else {
                    x.replaceSubrange(pv..<(pv + m), with: useg)
                }
            }
            R.nodes = x
            applied(ru, ru)
            return
        }
        R.nodes.replaceSubrange(pu..<(pu + n), with: vseg)
        if m == 0 {
            S.nodes.insert(contentsOf: useg, at: pv + 1)
        } else {
            S.nodes.replaceSubrange(pv..<(pv + m), with: useg)
        }
        applied(ru, rv)
    }
}
