/// SWAP* (Vidal 2022): exchange `u` of route A with `v` of route B, each reinserted at
/// its best position in the other route rather than in the other's place. Candidate
/// positions come from the three cheapest insertion points per client (distance only);
/// the best candidate is then evaluated exactly (time warp included) before applying.
extension LocalSearch {
    struct Top3 {
        var cost: (Int64, Int64, Int64) = (.max, .max, .max)
        var after: (Int, Int, Int) = (-1, -1, -1)
        @inline(__always) mutating func add(_ c: Int64, _ a: Int) {
            if c < cost.2 {
                if c < cost.1 {
                    cost.2 = cost.1; after.2 = after.1
                    if c < cost.0 {
                        cost.1 = cost.0; after.1 = after.0
                        cost.0 = c; after.0 = a
                    } else {
                        cost.1 = c; after.1 = a
                    }
                } else {
                    cost.2 = c; after.2 = a
                }
            }
        }

        /// Where to insert a client into a route losing the client at `removed`: in its
        /// place (`inPlace`, after `removed - 1`), or at the best cached point not next to
        /// `removed`, whichever is cheaper.
        @inline(__always) func best(removing removed: Int, inPlace: Int64) -> (cost: Int64, after: Int) {
            var best = (cost: inPlace, after: removed - 1)
            if after.0 >= 0 && after.0 != removed && after.0 != removed - 1 {
                if cost.0 < best.cost { best = (cost.0, after.0) }
            } else if after.1 >= 0 && after.1 != removed && after.1 != removed - 1 {
                if cost.1 < best.cost { best = (cost.1, after.1) }
            } else if after.2 >= 0 && after.2 != removed && after.2 != removed - 1 {
                if cost.2 < best.cost { best = (cost.2, after.2) }
            }
            return best
        }
    }

    func swapStarPhase() -> Bool {
        var improved = false
        let used = routes.indices.filter { routes[$0].count > 0 }
        if swapStarTested.count != routes.count * routes.count {
            swapStarTested = [Int](repeating: -1, count: routes.count * routes.count)
        }
        let tolerance: Int32 = 0
        for i in used.indices {
            for j in (i + 1)..<max(i + 1, used.count) {
                let a = used[i], b = used[j]
                let A = routes[a], B = routes[b]
                if A.count == 0 || B.count == 0 { continue }
                let key = a * routes.count + b
                let last = swapStarTested[key]
                if A.lastModified <= last && B.lastModified <= last { continue }
                swapStarTested[key] = moveCount
                if inst.angle != nil && !A.overlaps(B, tolerance: tolerance) { continue }
                if swapStar(a, b) { improved = true }
            }
        }
        return improved
    }

    private func approxLoadPenalty(_ seg: LoadSegment, _ vt: Int) -> Int64 {
        let ex = pointwiseMax(pointwiseMax(seg.delivery, seg.pickup) &- inst.vtCapacity[vt], .zero).wrappedSum()
        return ex > 0 ? Int64(Double(ex) * pen.load + 0.5) : 0
    }

    /// Best insertion points of client `u` into route `b`, cached until `b` changes
    /// (most route pairs are re-examined many times while only a few routes change).
    @inline(__always)
    private func insertionPoints(_ u: Int, into b: Int, _ into: RouteState) -> Top3 {
        let key = b &* inst.nodeCount &+ u
        if insStamp[key] == into.lastModified { return insCache[key] }
        let inst = self.inst
        let unit = inst.vtUnitDist[into.vt]
        var t = Top3()
        into.nodes.withUnsafeBufferPointer { nodes in
            let n = inst.nodeCount
            inst.dist.withUnsafeBufferPointer { d in
                var x = nodes[0]
                for q in 0..<into.last {
                    let y = nodes[q &+ 1]
                    t.add(unit &* (d[x &* n &+ u] &+ d[u &* n &+ y] &- d[x &* n &+ y]), q)
                    x = y
                }
            }
        }
        insCache[key] = t
        insStamp[key] = into.lastModified
        return t
    }

    func swapStar(_ a: Int, _ b: Int) -> Bool {
        let A = routes[a], B = routes[b]
        let inst = self.inst
        if insCache.isEmpty {
            insCache = [Top3](repeating: Top3(), count: routes.count * inst.nodeCount)
            insStamp = [Int](repeating: -1, count: routes.count * inst.nodeCount)
        }
        // Scratch buffers reused across pairs: insertion points and removal gains.
        RouteState.resize(&scratchInsA, A.nodes.count, Top3())
        RouteState.resize(&scratchInsB, B.nodes.count, Top3())
        RouteState.resize(&scratchRemA, A.nodes.count, 0)
        RouteState.resize(&scratchRemB, B.nodes.count, 0)
        let nd = inst.depotCount
        for p in 1..<A.last {
            if A.nodes[p] < nd {  // a reload depot stays where it is
                scratchInsA[p] = Top3()
                scratchRemA[p] = 0
                continue
            }
            scratchInsA[p] = insertionPoints(A.nodes[p], into: b, B)
            scratchRemA[p] = inst.vtUnitDist[A.vt]
                &* (inst.d(A.nodes[p - 1], A.nodes[p]) &+ inst.d(A.nodes[p], A.nodes[p + 1]) &- inst.d(A.nodes[p - 1], A.nodes[p + 1]))
        }
        for p in 1..<B.last {
            if B.nodes[p] < nd {
                scratchInsB[p] = Top3()
                scratchRemB[p] = 0
                continue
            }
            scratchInsB[p] = insertionPoints(B.nodes[p], into: a, A)
            scratchRemB[p] = inst.vtUnitDist[B.vt]
                &* (inst.d(B.nodes[p - 1], B.nodes[p]) &+ inst.d(B.nodes[p], B.nodes[p + 1]) &- inst.d(B.nodes[p - 1], B.nodes[p + 1]))
        }
        let uA = inst.vtUnitDist[A.vt], uB = inst.vtUnitDist[B.vt]
        let penA = approxLoadPenalty(A.load, A.vt), penB = approxLoadPenalty(B.load, B.vt)
        let scalar = inst.scalarLoad
        let loadA = A.load.delivery[0], loadB = B.load.delivery[0]
        let capA = inst.vtCapacity[A.vt][0], capB = inst.vtCapacity[B.vt][0]
        var best: Int64 = 0
        var move = (0, 0, 0, 0)  // pu, pv, insert v after position in A, insert u after position in B
        for pu in 1..<A.last {
            let u = A.nodes[pu]
            if u < nd { continue }
            let remU = scratchRemA[pu]
            for pv in 1..<B.last {
                let v = B.nodes[pv]
                if v < nd { continue }
                let remV = scratchRemB[pv]
                let dPen: Int64
                if scalar {
                    let exA = max(0, loadA &- inst.delivery[u][0] &+ inst.delivery[v][0] &- capA)
                    let exB = max(0, loadB &- inst.delivery[v][0] &+ inst.delivery[u][0] &- capB)
                    dPen = (exA > 0 ? Int64(Double(exA) * pen.load + 0.5) : 0)
                        &+ (exB > 0 ? Int64(Double(exB) * pen.load + 0.5) : 0) &- penA &- penB
                } else {
                    var la = A.load, lb = B.load
                    la.delivery = la.delivery &- inst.delivery[u] &+ inst.delivery[v]
                    la.pickup = la.pickup &- inst.pickup[u] &+ inst.pickup[v]
                    lb.delivery = lb.delivery &- inst.delivery[v] &+ inst.delivery[u]
                    lb.pickup = lb.pickup &- inst.pickup[v] &+ inst.pickup[u]
                    dPen = approxLoadPenalty(la, A.vt) - penA + approxLoadPenalty(lb, B.vt) - penB
                }
                if dPen - remU - remV >= best { continue }
                // v into A without u: in u's place, or at a top-3 point not touching u.
                let (costV, atV) = scratchInsB[pv].best(
                    removing: pu, inPlace: uA * (inst.d(A.nodes[pu - 1], v) + inst.d(v, A.nodes[pu + 1]) - inst.d(A.nodes[pu - 1], A.nodes[pu + 1])))
                // u into B without v, likewise.
                let (costU, atU) = scratchInsA[pu].best(
                    removing: pv, inPlace: uB * (inst.d(B.nodes[pv - 1], u) + inst.d(u, B.nodes[pv + 1]) - inst.d(B.nodes[pv - 1], B.nodes[pv + 1])))
                let delta = dPen - remU - remV + costV + costU
                if delta < best {
                    best = delta
                    move = (pu, pv, atV, atU)
                }
            }
        }
        guard best < 0 else { return false }
        let (pu, pv, atV, atU) = move
        let u = A.nodes[pu], v = B.nodes[pv]
        var na: [Int] = []
        na.reserveCapacity(A.nodes.count)
        for q in 0..<A.last {
            if q != pu { na.append(A.nodes[q]) }
            if q == atV { na.append(v) }
        }
        var nb: [Int] = []
        nb.reserveCapacity(B.nodes.count)
        for q in 0..<B.last {
            if q != pv { nb.append(B.nodes[q]) }
            if q == atU { nb.append(u) }
        }
        // Exact check with time warp and exact loads.
        let exact = fullCost(na, vt: A.vt) + fullCost(nb, vt: B.vt) - A.cost - B.cost
        guard exact < 0 else { return false }
        na.append(inst.vtEnd[A.vt])
        nb.append(inst.vtEnd[B.vt])
        A.nodes = na
        B.nodes = nb
        applied(a, b)
        markAround(u)
        markAround(v)
        return true
    }

    /// Penalised cost of a route given its start depot and clients (end depot implied).
    func fullCost(_ nodes: [Int], vt: Int) -> Int64 {
        var s = SequenceCost(inst, prefixOf: routes[inst.typeFirstSlot[vt]], through: 0, vt: vt)
        for k in 1..<nodes.count { s.add(inst, nodes[k]) }
        return s.close(inst, pen: pen)
    }
}
