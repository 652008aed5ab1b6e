import RuralPostCore

/// The raw result of one order's search: units per (line, candidate), unfilled units,
/// costs and the proof status. Turned into an ``SplitPlan`` by `SplitEngine.plan`.
struct OrderSolution {
    var orderId: String
    var problem: OrderProblem
    var fillable: Bool
    var x: [Int64]
    var unfilledLines: [Int64]
    /// Parcel prices + backorders (no surcharges).
    var cost: Fen
    /// Proven lower bound on the search objective (cost + surcharges).
    var lowerBound: Fen
    var searchCost: Fen
    var exact: Bool
    var nodes: Int

    /// Units shipped as (warehouse table index, SKU index, units).
    var shipped: [(w: Int, s: Int, units: Int64)] {
        var out: [(w: Int, s: Int, units: Int64)] = []
        let nC = problem.nC
        for l in 0..<problem.nL {
            for c in 0..<nC where x[l * nC + c] > 0 { out.append((problem.cand[c], problem.lineSku[l], x[l * nC + c])) }
        }
        return out
    }
}

extension SplitEngine {
    /// Searches one order against `table`'s stock (not modified).
    func solve(
        order: SplitOrder, lines: [(sku: Int, qty: Int64)], table: WarehouseTable, policy: SplitPolicy,
        surcharge: ((Int, Int) -> Fen)? = nil, nodeLimit: Int? = nil
    ) -> OrderSolution {
        let problem = OrderProblem(
            lines: lines, destination: order.destination, table: table, skus: skus, tariff: tariff, policy: policy,
            surcharge: surcharge)
        let small = problem.nC <= limits.exactCandidates && problem.nL <= limits.exactLines
        let limit = nodeLimit ?? (small ? limits.exactNodeLimit : limits.heuristicNodeLimit)
        var forcedUnits: Int64 = 0
        for f in problem.forcedUnfilled { forcedUnits += f.units }
        let totalUnits = forcedUnits + problem.qty.reduce(0, +)
        let allUnfilled = problem.qty
        let unfillable = OrderSolution(
            orderId: order.id, problem: problem, fillable: false,
            x: [Int64](repeating: 0, count: problem.nL * problem.nC), unfilledLines: allUnfilled,
            cost: totalUnits * policy.backorderFen, lowerBound: totalUnits * policy.backorderFen,
            searchCost: totalUnits * policy.backorderFen, exact: true, nodes: 0)
        if !policy.allowPartial && forcedUnits > 0 { return unfillable }

        let search = OrderSearch(problem, nodeLimit: limit)
        // Without partial fills the alternative to shipping everything is shipping
        // nothing, at backorderFen per unit: a complete fill must beat that.
        search.run(ceiling: policy.allowPartial ? .max : unfillable.cost + 1)
        guard search.found else {
            var s = unfillable
            s.exact = !search.aborted
            s.nodes = search.nodes
            return s
        }
        var surchargeTotal: Fen = 0
        if let sc = problem.surcharge {
            for i in sc.indices { surchargeTotal += sc[i] * search.bestX[i] }
        }
        let base = forcedUnits * policy.backorderFen
        return OrderSolution(
            orderId: order.id, problem: problem, fillable: true, x: search.bestX, unfilledLines: search.bestUnfilled,
            cost: search.best - surchargeTotal + base,
            lowerBound: (search.proven ? search.best : min(search.rootBound, search.best)) + base,
            searchCost: search.best + base, exact: search.proven && !problem.truncated, nodes: search.nodes)
    }

    /// Takes the shipped units out of the stock.
    func apply(_ s: OrderSolution, to table: inout WarehouseTable) {
        for u in s.shipped { table.stock[u.w * table.skuCount + u.s] -= u.units }
    }

    /// Returns shipped units to the stock.
    func revert(_ s: OrderSolution, in table: inout WarehouseTable) {
        for u in s.shipped { table.stock[u.w * table.skuCount + u.s] += u.units }
    }
}
