/// Granular local search over route slots (Vidal 2012/2022, PyVRP): for every client
/// `u` and each of its nearest neighbours `v`, try the node operators of `Operators/`
/// and apply the first improving one; then SWAP* between routes whose sectors overlap.
/// Repeats until no move improves the penalised cost.
final class LocalSearch {
    let inst: Instance
    @exclusivity(unchecked) var routes: [RouteState]
    @exclusivity(unchecked) var routeOf: [Int]
    @exclusivity(unchecked) var posOf: [Int]
    @exclusivity(unchecked) var pen: Penalties
    @exclusivity(unchecked) var rng: RNG
    @exclusivity(unchecked) var moveCount = 1
    @exclusivity(unchecked) var lastTested: [Int]
    /// Move stamp of the last SWAP* test per route pair (`a * routes.count + b`).
    @exclusivity(unchecked) var swapStarTested: [Int] = []
    @exclusivity(unchecked) var order: [Int]
    /// This search's copy of the granular neighbourhoods; lists are reshuffled now and
    /// then so that first-improvement does not always favour the same neighbours.
    @exclusivity(unchecked) var neighbours: [[Int32]]
    /// SWAP* insertion-point cache per (route, client), valid while the route's
    /// `lastModified` equals the stamp.
    @exclusivity(unchecked) var insCache: [Top3] = []
    @exclusivity(unchecked) var insStamp: [Int] = []
    @exclusivity(unchecked) var scratchInsA: [Top3] = []
    @exclusivity(unchecked) var scratchInsB: [Top3] = []
    @exclusivity(unchecked) var scratchRemA: [Int64] = []
    @exclusivity(unchecked) var scratchRemB: [Int64] = []
    @exclusivity(unchecked) var shouldAbort: () -> Bool = { false }
    /// Limited runs (iterated local search) examine only promising clients: the perturbed
    /// ones and those next to an applied move (PyVRP's search space).
    @exclusivity(unchecked) var promising: [Bool] = []
    @exclusivity(unchecked) var limited = false
    /// Smallest instance (clients) whose limited runs use promising clients only; below
    /// it they re-examine every client next to a changed route (better at ~100 clients
    /// with tight fleets in the measurements, where iterations are cheap anyway).
    @exclusivity(unchecked) var promisingFrom = 300
    /// Move stamp at which each route last tried the fleet-mix moves.
    @exclusivity(unchecked) var fleetTested: [Int] = []
    /// Move stamp at which each route last tried the segment drops (optional clients).
    @exclusivity(unchecked) var dropTested: [Int] = []

    init(_ inst: Instance, seed: UInt64) {
        self.inst = inst
        routes = inst.slotType.indices.map { RouteState(slot: $0, vt: inst.slotType[$0], inst: inst) }
        routeOf = [Int](repeating: -1, count: inst.nodeCount)
        posOf = [Int](repeating: -1, count: inst.nodeCount)
        lastTested = [Int](repeating: 0, count: inst.nodeCount)
        pen = Penalties(load: 1, timeWarp: 1, distance: 1)
        rng = RNG(seed: seed)
        order = inst.activeClients
        neighbours = inst.neighbours
    }

    /// Loads routes (client nodes per slot).
    func load(_ slots: [[Int]]) {
        moveCount += 1  // new stamps: caches keyed on `lastModified` must not match old routes
        for i in routeOf.indices {
            routeOf[i] = -1
            posOf[i] = -1
        }
        for (k, r) in routes.enumerated() {
            r.nodes = [inst.vtStart[r.vt]] + (k < slots.count ? slots[k] : []) + [inst.vtEnd[r.vt]]
            refresh(k)
        }
    }

    /// Current routes (client nodes per slot).
    func export() -> [[Int]] { routes.map { Array($0.nodes[1..<$0.last]) } }

    @inline(__always)
    func refresh(_ k: Int) {
        routes[k].update(inst, pen, posOf: &posOf, routeOf: &routeOf, index: k)
        routes[k].lastModified = moveCount
    }

    /// Puts back the routes (`slots`, as from `export`) of every route changed after move
    /// stamp `since`: undoes a rejected perturbation and repair without touching the rest.
    func restore(_ slots: [[Int]], since: Int) {
        let changed = routes.indices.filter { routes[$0].lastModified > since }
        for k in changed {
            let r = routes[k]
            for v in r.nodes[1..<r.last] where v >= inst.depotCount {
                routeOf[v] = -1
                posOf[v] = -1
            }
        }
        var cleared: [Int] = []
        for k in changed { cleared += routes[k].nodes[1..<routes[k].last].filter { $0 >= inst.depotCount } }
        moveCount += 1
        for k in changed {
            let r = routes[k]
            r.nodes = [inst.vtStart[r.vt]] + (k < slots.count ? slots[k] : []) + [inst.vtEnd[r.vt]]
            refresh(k)
        }
        for v in cleared where routeOf[v] < 0 { lastTested[v] = -1 }
    }

    /// Replaces route `k`'s clients and refreshes its caches.
    func replace(_ k: Int, clients: [Int]) {
        let r = routes[k]
        for v in r.nodes[1..<r.last] {
            routeOf[v] = -1
            posOf[v] = -1
        }
        r.nodes = [inst.vtStart[r.vt]] + clients + [inst.vtEnd[r.vt]]
        refresh(k)
    }

    /// Runs the search to a local optimum under penalties `pen`.
    ///
    /// `exhaustive: false` (iterated local search) re-examines only clients whose route,
    /// or a neighbour's route, changed since they were last examined (the perturbed
    /// neighbourhood), unless the penalty weights changed.
    func run(pen: Penalties, exhaustive: Bool = true) {
        let samePenalties = pen.load == self.pen.load && pen.timeWarp == self.pen.timeWarp && pen.distance == self.pen.distance
        self.pen = pen
        if exhaustive || !samePenalties {
            moveCount += 1
            for k in routes.indices { refresh(k) }
        }
        moveCount += 1
        if exhaustive {
            for i in lastTested.indices { lastTested[i] = -1 }
            for i in swapStarTested.indices { swapStarTested[i] = -1 }
            fleetTested.removeAll(keepingCapacity: true)
            dropTested.removeAll(keepingCapacity: true)
        }
        limited = !exhaustive && inst.activeClients.count >= promisingFrom
        if promising.count != inst.nodeCount { promising = [Bool](repeating: false, count: inst.nodeCount) }
        order.shuffle(using: &rng)
        let k = max(1, inst.neighbours.first(where: { !$0.isEmpty })?.count ?? 1)
        for u in order where rng.below(k) == 0 { neighbours[u].shuffle(using: &rng) }
        var improved = true
        var loop = 0
        while improved {
            improved = false
            for (i, u) in order.enumerated() {
                // A pass over 1,000 clients from a poor start can take a second: look at
                // the stopping criterion now and then (deterministic for iteration limits).
                if i & 127 == 127 && shouldAbort() { return }
                if limited {
                    if !promising[u] { continue }
                    promising[u] = false
                }
                let before = lastTested[u]
                lastTested[u] = moveCount
                if routeOf[u] < 0 {
                    // Unrouted: retry only when a neighbour's route changed since the
                    // last try (insertion costs elsewhere are unchanged).
                    if inst.active[u] && (before < 0 || neighbourRouteChanged(u, since: before)) && tryInsertUnassigned(u) {
                        improved = true
                        markAround(u)
                    }
                    continue
                }
                for v32 in neighbours[u] {
                    let v = Int(v32)
                    if routeOf[v] < 0 || routeOf[u] < 0 { continue }
                    if routes[routeOf[u]].lastModified <= before && routes[routeOf[v]].lastModified <= before { continue }
                    if nodeMoves(u, v) {
                        improved = true
                        markAround(u)
                        markAround(v)
                    }
                }
                if routeOf[u] >= 0 && loop > 0 && routes[routeOf[u]].lastModified > before {
                    if emptyRouteMoves(u) { improved = true; markAround(u) }
                }
                let changed = routeOf[u] >= 0 && routes[routeOf[u]].lastModified > before
                if changed && inst.hasOptional && !inst.required[u] && routeOf[u] >= 0 {
                    let r = routeOf[u], p = posOf[u]
                    let pred = routes[r].nodes[p - 1], succ = routes[r].nodes[p + 1]
                    if tryRemoveOptional(u) {
                        improved = true
                        markNode(pred)
                        markNode(succ)
                        markNode(u)
                    }
                }
                if changed && inst.hasReloads && routeOf[u] >= 0 && reloadMoves(u) { improved = true; markAround(u) }
            }
            if swapStarPhase() { improved = true }
            if fleetMixPhase() { improved = true }
            // Segment drops only in full searches (the start, a new best solution): in
            // the limited repairs they would close the clusters a perturbation has just
            // opened before the search could make them pay (measured worse on RC2_10_1).
            if exhaustive && segmentDropPhase() { improved = true }
            loop += 1
            if loop > 1000 || shouldAbort() { break }
        }
    }

    /// Tries the node operators for the pair (u, v); applies the first improving move.
    @inline(__always)
    func nodeMoves(_ u: Int, _ v: Int) -> Bool {
        let ru = routeOf[u], rv = routeOf[v]
        let pu = posOf[u], pv = posOf[v]
        if exchange(1, 0, ru, pu, rv, pv) { return true }
        if exchange(2, 0, ru, pu, rv, pv) { return true }
        if exchange(1, 1, ru, pu, rv, pv) { return true }
        if exchange(2, 1, ru, pu, rv, pv) { return true }
        if exchange(2, 2, ru, pu, rv, pv) { return true }
        if ru != rv {
            if swapTails(ru, pu, rv, pv) { return true }
        } else if twoOpt(ru, pu, pv) {
            return true
        }
        if inst.hasReloads && pv >= 2 && routes[rv].nodes[pv - 1] < inst.depotCount {
            // v opens a later trip: also try right after its reload.
            if exchange(1, 0, ru, pu, rv, pv - 1) { return true }
            if exchange(2, 0, ru, pu, rv, pv - 1) { return true }
        }
        if pv == 1 {
            // v opens its route: also try the positions right after the start depot.
            if exchange(1, 0, ru, pu, rv, 0) { return true }
            if exchange(2, 0, ru, pu, rv, 0) { return true }
            if ru != rv && swapTails(ru, pu, rv, 0) { return true }
        }
        return false
    }

    /// Moves that open a new route: `u` alone, or `u` with the rest of its route.
    func emptyRouteMoves(_ u: Int) -> Bool {
        for t in 0..<inst.typeCount {
            guard let e = firstEmptySlot(type: t) else { continue }
            let ru = routeOf[u], pu = posOf[u]
            if routes[ru].count <= 1 && routes[ru].vt == t { continue }
            if exchange(1, 0, ru, pu, e, 0) { return true }
            if swapTails(ru, pu - 1, e, 0) { return true }
        }
        return false
    }

    /// Marks client `x` and its route neighbours promising for limited runs.
    @inline(__always)
    func markAround(_ x: Int) {
        guard limited else { return }
        promising[x] = true
        let r = routeOf[x]
        if r < 0 { return }
        let R = routes[r], p = posOf[x]
        markNode(R.nodes[p - 1])
        markNode(R.nodes[p + 1])
    }

    @inline(__always)
    func markNode(_ x: Int) {
        if limited && x >= inst.depotCount { promising[x] = true }
    }

    @inline(__always)
    func neighbourRouteChanged(_ u: Int, since stamp: Int) -> Bool {
        for v32 in neighbours[u] {
            let r = routeOf[Int(v32)]
            if r >= 0 && routes[r].lastModified > stamp { return true }
        }
        return false
    }

    /// PyVRP-style perturbation: a random client and its nearest neighbours, `count` in
    /// all, leave their routes (unrouted optional ones among them are inserted instead);
    /// the next `run(exhaustive: false)` reinserts and repairs around them.
    func perturb(count: Int) {
        let clients = inst.activeClients
        if clients.isEmpty || count <= 0 { return }
        let c = clients[rng.below(clients.count)]
        var group = [c]
        for v in neighbours[c] where group.count < count { group.append(Int(v)) }
        var out = Set<Int>()
        var touched: [Int] = []
        if promising.count != inst.nodeCount { promising = [Bool](repeating: false, count: inst.nodeCount) }
        for v in group where inst.active[v] {
            let r = routeOf[v]
            promising[v] = true
            if r >= 0 {
                let R = routes[r], p = posOf[v]
                for x in [R.nodes[p - 1], R.nodes[p + 1]] where x >= inst.depotCount { promising[x] = true }
                if !touched.contains(r) { touched.append(r) }
                out.insert(v)
            }
        }
        moveCount += 1
        for r in touched {
            let R = routes[r]
            replace(r, clients: R.nodes[1..<R.last].filter { !out.contains($0) })
        }
        for v in out { lastTested[v] = -1 }
        for v in group where inst.active[v] && !out.contains(v) && routeOf[v] < 0 {
            _ = tryInsertUnassigned(v, force: true)
        }
    }

    func firstEmptySlot(type t: Int) -> Int? {
        let end = t + 1 < inst.typeFirstSlot.count ? inst.typeFirstSlot[t + 1] : routes.count
        var k = inst.typeFirstSlot[t]
        while k < end {
            if routes[k].count == 0 { return k }
            k += 1
        }
        return nil
    }

    /// Bookkeeping after a move changed routes `a` and `b`.
    @inline(__always)
    func applied(_ a: Int, _ b: Int) {
        moveCount += 1
        refresh(a)
        if b != a { refresh(b) }
    }
}
