/// Fleet-mix moves (heterogeneous fleets with fixed costs): give a whole route to an idle
/// vehicle of another type, or let two routes trade vehicles. Each candidate is priced in
/// O(1) from the route's cached suffix, started at the other type's depot.
extension LocalSearch {
    /// Penalised cost of route `r`'s visits driven by a vehicle of type `t` whose empty
    /// slot (or route, for its depot) is `slotOfType`.
    @inline(__always)
    func costOn(_ r: RouteState, type t: Int, slotOfType: RouteState) -> Int64 {
        var s = SequenceCost(inst, prefixOf: slotOfType, through: 0, vt: t)
        return s.finish(inst, suffixOf: r, from: 1, pen: pen)
    }

    /// Tries the fleet-mix moves for every route changed since it was last tried; applies
    /// improving ones. Returns whether anything changed.
    func fleetMixPhase() -> Bool {
        guard inst.typeCount > 1 else { return false }
        var improved = false
        if fleetTested.count != routes.count { fleetTested = [Int](repeating: -1, count: routes.count) }
        for a in routes.indices {
            let A = routes[a]
            if A.count == 0 || A.lastModified <= fleetTested[a] { continue }
            fleetTested[a] = moveCount
            // 1. Move to an idle vehicle of another type.
            var bestDelta: Int64 = 0
            var target = -1
            for t in 0..<inst.typeCount where t != A.vt {
                guard let e = firstEmptySlot(type: t) else { continue }
                let d = costOn(A, type: t, slotOfType: routes[e]) - A.cost
                if d < bestDelta { bestDelta = d; target = e }
            }
            // 2. Trade vehicles with a route of another type.
            var partner = -1
            for b in routes.indices where b != a && routes[b].count > 0 && routes[b].vt != A.vt {
                let B = routes[b]
                let d = costOn(A, type: B.vt, slotOfType: B) + costOn(B, type: A.vt, slotOfType: A) - A.cost - B.cost
                if d < bestDelta { bestDelta = d; partner = b; target = -1 }
            }
            if partner >= 0 {
                let B = routes[partner]
                let ca = Array(A.nodes[1..<A.last]), cb = Array(B.nodes[1..<B.last])
                A.nodes = [inst.vtStart[A.vt]] + cb + [inst.vtEnd[A.vt]]
                B.nodes = [inst.vtStart[B.vt]] + ca + [inst.vtEnd[B.vt]]
                applied(a, partner)
                improved = true
            } else if target >= 0 {
                let E = routes[target]
                E.nodes = [inst.vtStart[E.vt]] + Array(A.nodes[1..<A.last]) + [inst.vtEnd[E.vt]]
                A.nodes = [inst.vtStart[A.vt], inst.vtEnd[A.vt]]
                applied(a, target)
                improved = true
            }
        }
        return improved
    }
}
