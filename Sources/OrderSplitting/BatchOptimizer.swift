import Foundation
import RuralPostCore

/// Batch (wave) splitting.
///
/// Priority classes are served in descending order, each against the stock the higher
/// classes left. Within a class: a sequential pass in input order (so the result is
/// never worse than sequential mode), then ruin-and-recreate: an order the first pass
/// served from depleted stock is taken out together with a few orders holding stock of
/// its SKUs, and they are re-inserted one by one in another order, each at its exact
/// least cost; the move is kept unless the group gets dearer.
///
/// Lower bound: Lagrangian relaxation of the shared stock. With prices `λ[w,s] >= 0` on
/// every unit shipped, `sum_o min(cost_o + λ·x_o) - λ·stock` bounds every feasible
/// allocation from below. It starts at one backorder per unit on SKUs the wave orders
/// more of than all stock (elsewhere 0: the orders' own optima), then subgradient steps
/// on the over-demanded SKUs raise it. Priorities are ignored, so it bounds the plain
/// total of any allocation.
///
/// `BatchOptions.timeLimitSeconds` bounds the whole call except the first pass, which
/// always completes.
struct BatchOptimizer {
    let engine: SplitEngine
    let orders: [SplitOrder]
    let lines: [[(sku: Int, qty: Int64)]]
    var table: WarehouseTable
    let initial: WarehouseTable
    let policy: SplitPolicy
    let options: BatchOptions
    var rng: SeededRandom
    var solutions: [OrderSolution?]
    /// Per order: its Lagrangian term at the starting prices against the full stock
    /// (a proven lower bound of its subproblem).
    var alone: [Fen]
    /// Per order: (warehouse * skuCount + SKU, units) that term's solution ships.
    var aloneUse: [[(k: Int, units: Int64)]]
    /// Orders currently shipping from each (warehouse * skuCount + SKU) pair.
    var holders: [Int: Set<Int>] = [:]
    let started = Date()
    let deadline: Date

    init(
        engine: SplitEngine, orders: [SplitOrder], lines: [[(sku: Int, qty: Int64)]], table: WarehouseTable,
        policy: SplitPolicy, options: BatchOptions
    ) {
        self.engine = engine
        self.orders = orders
        self.lines = lines
        self.table = table
        self.initial = table
        self.policy = policy
        self.options = options
        rng = SeededRandom(seed: options.seed)
        solutions = Array(repeating: nil, count: orders.count)
        alone = Array(repeating: 0, count: orders.count)
        aloneUse = Array(repeating: [], count: orders.count)
        deadline = started.addingTimeInterval(options.timeLimitSeconds)
    }

    mutating func run() -> SplitResult {
        // Priority classes, highest first; input order within a class.
        let classes = Dictionary(grouping: orders.indices, by: { orders[$0].priority })
            .sorted { $0.key > $1.key }.map(\.value)
        // First pass: sequential within each class. An order whose sources still hold
        // what they held at the start has its own full-stock optimum right here; the
        // others are solved against the full stock afterwards.
        var pending: [Int] = []
        for members in classes {
            for i in members {
                let untouched = stockUntouched(for: i)
                let s = engine.solve(order: orders[i], lines: lines[i], table: table, policy: policy)
                if untouched { recordAlone(i, s) } else { pending.append(i) }
                take(s, i)
                solutions[i] = s
            }
        }
        // Starting prices: one backorder per unit of every SKU the wave orders more of
        // than all warehouses hold (each unit of its stock saves about one backorder).
        let nS = initial.skuCount
        var ordered = [Int64](repeating: 0, count: nS)
        for l in lines { for line in l { ordered[line.sku] += line.qty } }
        var lambda = [Fen](repeating: 0, count: initial.stock.count)
        var scarce = Set<Int>()
        for sku in 0..<nS {
            var held: Int64 = 0
            for w in 0..<initial.count { held += initial.units(w, sku) }
            if ordered[sku] > held {
                scarce.insert(sku)
                for w in 0..<initial.count { lambda[w * nS + sku] = policy.backorderFen }
            }
        }
        // Each order's Lagrangian term at those prices (its own optimum when it orders
        // nothing scarce and its sources were untouched in the first pass).
        for i in pending where !lines[i].contains(where: { scarce.contains($0.sku) }) {
            recordAlone(i, engine.solve(order: orders[i], lines: lines[i], table: initial, policy: policy, nodeLimit: 20_000))
        }
        let lam = lambda
        for i in orders.indices where lines[i].contains(where: { scarce.contains($0.sku) }) {
            let s = engine.solve(
                order: orders[i], lines: lines[i], table: initial, policy: policy,
                surcharge: { w, sku in lam[w * nS + sku] }, nodeLimit: 20_000)
            recordAlone(i, s)
        }
        var bound = alone.reduce(0, +)
        for k in lambda.indices where lambda[k] > 0 { bound -= lambda[k] * initial.stock[k] }
        // Keep time to build the plans (~20 µs an order). More bound steps first, then
        // improvement.
        let reserve = Double(orders.count) * 20e-6
        let budget = max(0, deadline.timeIntervalSinceNow - reserve)
        let firstTotal = solutions.reduce(Fen(0)) { $0 + $1!.cost }
        if options.boundIterations > 0 && firstTotal > bound {
            bound = max(
                bound,
                lagrangianBound(upper: firstTotal, start: lambda, value: bound, until: Date().addingTimeInterval(budget * 0.4)))
        }
        let seeds = Set(pending)
        for members in classes { improve(members, seeds: seeds, until: deadline.addingTimeInterval(-reserve)) }
        let total = solutions.reduce(Fen(0)) { $0 + $1!.cost }
        var plans: [SplitPlan] = []
        plans.reserveCapacity(orders.count)
        var exact = 0
        for i in orders.indices {
            // The table only names warehouses here; stock levels are not read.
            let p = engine.plan(solutions[i]!, table: table)
            if p.exact { exact += 1 }
            plans.append(p)
        }
        return SplitResult(
            mode: .batch, orders: plans, totalCostFen: plans.reduce(0) { $0 + $1.costFen }, lowerBoundFen: min(bound, total),
            exactOrders: exact, remainingStock: table.remainingStock(skuIds: engine.skus.map(\.id)))
    }

    /// Whether every warehouse still offers order `i` as many units of each of its SKUs
    /// as at the start (capped at the quantity ordered): then its subproblem now is
    /// the same as against the full stock.
    private func stockUntouched(for i: Int) -> Bool {
        var qty: [Int: Int64] = [:]
        for l in lines[i] { qty[l.sku, default: 0] += l.qty }
        for (sku, q) in qty {
            for w in 0..<table.count where min(table.units(w, sku), q) != min(initial.units(w, sku), q) { return false }
        }
        return true
    }

    private mutating func recordAlone(_ i: Int, _ s: OrderSolution) {
        alone[i] = s.lowerBound
        aloneUse[i] = s.shipped.map { ($0.w * initial.skuCount + $0.s, $0.units) }
    }

    // MARK: - Ruin and recreate

    /// Applies `s` (order `i`) to the stock and records who holds what.
    private mutating func take(_ s: OrderSolution, _ i: Int) {
        engine.apply(s, to: &table)
        for u in s.shipped { holders[u.w * table.skuCount + u.s, default: []].insert(i) }
    }

    /// Returns `s`'s units (order `i`) to the stock.
    private mutating func give(_ s: OrderSolution, _ i: Int) {
        engine.revert(s, in: &table)
        for u in s.shipped { holders[u.w * table.skuCount + u.s]?.remove(i) }
    }

    private mutating func improve(_ members: [Int], seeds candidates: Set<Int>, until end: Date) {
        guard members.count > 1 else { return }
        let inClass = Set(members)
        // Seeds: orders the first pass served from depleted stock (the others got their
        // own optimum and can only gain through a competitor, which is itself a seed).
        let seeds = members.filter { candidates.contains($0) }
        if seeds.isEmpty { return }
        var sinceImprovement = 0
        let patience = max(3000, members.count * 30)
        while sinceImprovement < patience {
            if sinceImprovement % 16 == 0 && Date() >= end { break }
            let seed = seeds[rng.below(seeds.count)]
            // Competitors: orders now holding stock of the seed's SKUs.
            var pool: [Int] = []
            collect: for line in lines[seed] {
                for w in 0..<table.count {
                    for o in holders[w * table.skuCount + line.sku] ?? [] where o != seed && inClass.contains(o) {
                        pool.append(o)
                        if pool.count >= 64 { break collect }
                    }
                }
            }
            var group = [seed]
            let want = 1 + rng.below(options.maxMoveOrders)
            while group.count < want && !pool.isEmpty {
                pool.swapAt(rng.below(pool.count), pool.count - 1)
                let o = pool.removeLast()
                if !group.contains(o) { group.append(o) }
            }
            if group.count == 1 && pool.isEmpty {
                sinceImprovement += 1
                continue
            }
            switch tryReinsert(group) {
            case .better: sinceImprovement = 0
            case .equal, .worse: sinceImprovement += 1
            }
        }
    }

    private enum Outcome { case better, equal, worse }

    /// Removes `group`, re-inserts it in a random order (dearest first half the time), each
    /// order at its exact least cost; keeps the result unless the group got dearer
    /// (ties are kept too: they move the search across plateaus).
    private mutating func tryReinsert(_ group: [Int]) -> Outcome {
        let old = group.map { solutions[$0]! }
        let oldCost = old.reduce(Fen(0)) { $0 + $1.cost }
        for (k, s) in old.enumerated() { give(s, group[k]) }
        var order = group
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, rng.below(k + 1)) }
        if rng.below(2) == 0 { order.sort { solutions[$0]!.cost > solutions[$1]!.cost } }
        var fresh: [(Int, OrderSolution)] = []
        var newCost: Fen = 0
        for i in order {
            let s = engine.solve(order: orders[i], lines: lines[i], table: table, policy: policy)
            take(s, i)
            fresh.append((i, s))
            newCost += s.cost
            if newCost > oldCost { break }
        }
        if newCost <= oldCost && fresh.count == group.count {
            for (i, s) in fresh { solutions[i] = s }
            return newCost < oldCost ? .better : .equal
        }
        for (i, s) in fresh { give(s, i) }
        for (k, s) in old.enumerated() { take(s, group[k]) }
        return .worse
    }

    // MARK: - Lagrangian bound

    /// Subgradient ascent on `L(λ) = sum_o min_x (cost_o(x) + λ·x_o) - λ·stock`, from
    /// `start` where `L = value` and `alone`/`aloneUse` hold each order's term and
    /// solution. Prices move on the SKUs that are over-demanded at the current prices
    /// (or already priced); only orders with such SKUs are re-solved. Stops at `until`;
    /// an unfinished step is dropped. Every value reached is a valid bound.
    private func lagrangianBound(upper: Fen, start: [Fen], value: Fen, until end: Date) -> Fen {
        let nS = initial.skuCount
        var lambda = start
        var term = alone
        var use = aloneUse
        var best = value
        var current = value
        var theta = 1.0
        var stall = 0
        var lastDuration = 0.0
        for _ in 0..<options.boundIterations {
            if best >= upper { break }
            // Subgradient at the current prices, on SKUs over-demanded somewhere.
            var used = [Int64](repeating: 0, count: initial.stock.count)
            for u in use { for x in u { used[x.k] += x.units } }
            var skus = Set<Int>()
            for k in used.indices where used[k] > initial.stock[k] { skus.insert(k % nS) }
            for k in lambda.indices where lambda[k] > 0 { skus.insert(k % nS) }
            if skus.isEmpty { break }
            var norm = 0.0
            var g = [Double](repeating: 0, count: lambda.count)
            for sku in skus {
                for w in 0..<initial.count {
                    let k = w * nS + sku
                    g[k] = Double(used[k] - initial.stock[k])
                    if lambda[k] > 0 || g[k] > 0 { norm += g[k] * g[k] }
                }
            }
            if norm == 0 { break }
            let now = Date()
            if now.addingTimeInterval(lastDuration) >= end { break }
            let step = theta * Double(upper - current) / norm
            var next = lambda
            for sku in skus {
                for w in 0..<initial.count {
                    let k = w * nS + sku
                    next[k] = max(0, lambda[k] + Fen((step * g[k]).rounded()))
                }
            }
            // Re-solve the orders whose prices changed; the others keep their terms.
            var changed = Set<Int>()
            for sku in skus { changed.insert(sku) }
            let lam = next
            var newTerm = term
            var newUse = use
            var complete = true
            for i in orders.indices where lines[i].contains(where: { changed.contains($0.sku) }) {
                if Date() >= end {
                    complete = false
                    break
                }
                let s = engine.solve(
                    order: orders[i], lines: lines[i], table: initial, policy: policy,
                    surcharge: { w, sku in lam[w * nS + sku] }, nodeLimit: 20_000)
                newTerm[i] = s.lowerBound
                newUse[i] = s.shipped.map { ($0.w * nS + $0.s, $0.units) }
            }
            // An unfinished step is dropped: stale terms are not bounds at new prices.
            if !complete { break }
            lastDuration = Date().timeIntervalSince(now)
            var v = newTerm.reduce(0, +)
            for k in next.indices where next[k] > 0 { v -= next[k] * initial.stock[k] }
            lambda = next
            term = newTerm
            use = newUse
            current = v
            if v > best {
                best = v
                stall = 0
            } else {
                stall += 1
                if stall >= 2 {
                    theta /= 2
                    stall = 0
                }
            }
        }
        return best
    }
}
