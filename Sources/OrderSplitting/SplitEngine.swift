import RuralPostCore

/// The order-splitting engine: least-cost, never-oversell allocation of order lines to
/// cloud warehouses under a zone-and-weight tariff (see docs/splitting.md).
///
/// Pure and `Sendable`: the same engine value serves the CLI, the API (one order at a
/// time via ``splitOne(_:warehouses:policy:)``) and benchmarks.
public struct SplitEngine: Sendable {
    /// The validated tariff and SKU catalogue.
    public let tariff: Tariff
    public let skus: [SplitSKU]
    /// Search budgets; a completed search is a proof (`SplitPlan.exact`).
    public var limits: SplitLimits
    let skuIndex: [String: Int]

    /// Validates the tariff and the SKU catalogue (ids unique and non-empty, grams > 0).
    /// - Throws: ``SplitInputError`` naming the field (`tariff.zones[1].maxKm`, `skus[3].grams`, ...).
    public init(tariff: Tariff, skus: [SplitSKU], limits: SplitLimits = SplitLimits()) throws {
        if let e = tariff.validationErrors().first { throw SplitInputError(field: "tariff.\(e.field)", message: e.message) }
        var index: [String: Int] = [:]
        for (i, s) in skus.enumerated() {
            if s.id.isEmpty { throw SplitInputError(field: "skus[\(i)].id", message: "must not be empty") }
            if index[s.id] != nil { throw SplitInputError(field: "skus[\(i)].id", message: "duplicate SKU id '\(s.id)'") }
            if s.grams <= 0 { throw SplitInputError(field: "skus[\(i)].grams", message: "must be > 0 (got \(s.grams))") }
            // A unit heavier than the parcel limit is rejected where it is ordered
            // (`order.lines[j].sku`), so one such SKU in a catalogue does not block the rest.
            index[s.id] = i
        }
        self.tariff = tariff
        self.skus = skus
        self.limits = limits
        self.skuIndex = index
    }

    /// Splits one order against `warehouses` (their current stock) at least cost.
    /// Does not change any stock: the caller reserves what the plan ships.
    /// - Throws: ``SplitInputError`` for bad input (fields prefixed `order.` / `warehouses[i].` / `policy.`).
    public func splitOne(_ order: SplitOrder, warehouses: [SplitWarehouse], policy: SplitPolicy) throws -> SplitPlan {
        try validate(policy)
        let table = try WarehouseTable(warehouses, skuIndex: skuIndex)
        let lines = try validate(order, path: "order")
        return plan(solve(order: order, lines: lines, table: table, policy: policy), table: table)
    }

    /// Real-time intake: orders in the given order, each at least cost given the stock
    /// the ones before it left.
    public func sequential(_ orders: [SplitOrder], warehouses: [SplitWarehouse], policy: SplitPolicy) throws -> SplitResult {
        try validate(policy)
        var table = try WarehouseTable(warehouses, skuIndex: skuIndex)
        let lines = try orders.enumerated().map { try validate($1, path: "orders[\($0)]") }
        var plans: [SplitPlan] = []
        plans.reserveCapacity(orders.count)
        var total: Fen = 0, bound: Fen = 0, exact = 0
        for (i, o) in orders.enumerated() {
            let s = solve(order: o, lines: lines[i], table: table, policy: policy)
            apply(s, to: &table)
            let p = plan(s, table: table)
            total += p.costFen
            bound += p.lowerBoundFen
            if p.exact { exact += 1 }
            plans.append(p)
        }
        return SplitResult(
            mode: .sequential, orders: plans, totalCostFen: total, lowerBoundFen: bound, exactOrders: exact,
            remainingStock: table.remainingStock(skuIds: skus.map(\.id)))
    }

    /// A wave before picking: all orders together, priorities first (higher `priority`
    /// is served from stock before lower), minimising the total cost within each
    /// priority class. Never worse than ``sequential(_:warehouses:policy:)`` on the same
    /// wave when all priorities are equal. `lowerBoundFen` is a proven bound on the
    /// total of any allocation (Lagrangian relaxation of the shared stock).
    public func batch(
        _ orders: [SplitOrder], warehouses: [SplitWarehouse], policy: SplitPolicy, options: BatchOptions = BatchOptions()
    ) throws -> SplitResult {
        try validate(policy)
        let table = try WarehouseTable(warehouses, skuIndex: skuIndex)
        let lines = try orders.enumerated().map { try validate($1, path: "orders[\($0)]") }
        var optimizer = BatchOptimizer(engine: self, orders: orders, lines: lines, table: table, policy: policy, options: options)
        return optimizer.run()
    }

    // MARK: - Validation

    func validate(_ policy: SplitPolicy) throws {
        if policy.maxWarehouses < 1 { throw SplitInputError(field: "policy.maxWarehouses", message: "must be >= 1 (got \(policy.maxWarehouses))") }
        if policy.backorderFen < 0 { throw SplitInputError(field: "policy.backorderFen", message: "must be >= 0 (got \(policy.backorderFen))") }
    }

    func validate(_ order: SplitOrder, path: String) throws -> [(sku: Int, qty: Int64)] {
        if order.id.isEmpty { throw SplitInputError(field: "\(path).id", message: "must not be empty") }
        if let problem = GeoPoint.problem(lat: order.destination.lat, lon: order.destination.lon) {
            throw SplitInputError(field: "\(path).\(problem.field)", message: problem.message)
        }
        if order.lines.isEmpty { throw SplitInputError(field: "\(path).lines", message: "an order needs at least one line") }
        var out: [(sku: Int, qty: Int64)] = []
        out.reserveCapacity(order.lines.count)
        var units: Int64 = 0
        for (j, line) in order.lines.enumerated() {
            guard let s = skuIndex[line.sku] else {
                throw SplitInputError(field: "\(path).lines[\(j)].sku", message: "unknown SKU '\(line.sku)'")
            }
            if line.qty <= 0 { throw SplitInputError(field: "\(path).lines[\(j)].qty", message: "must be > 0 (got \(line.qty))") }
            if skus[s].grams > tariff.parcelMaxGrams {
                throw SplitInputError(
                    field: "\(path).lines[\(j)].sku",
                    message: "one unit of '\(line.sku)' (\(skus[s].grams) g) is heavier than the parcel limit (\(tariff.parcelMaxGrams) g)")
            }
            // Keeps every sum of grams and fen far from Int64 overflow.
            units += line.qty
            if units > 1_000_000 { throw SplitInputError(field: "\(path).lines[\(j)].qty", message: "order exceeds 1,000,000 units") }
            out.append((s, line.qty))
        }
        return out
    }
}

/// Search limits. A search that completes within them is a proof of optimality
/// (`SplitPlan.exact`); one that hits them returns the best plan found.
public struct SplitLimits: Hashable, Sendable, Codable {
    /// Orders with at most this many candidate warehouses and lines get the exact budget.
    public var exactCandidates = 12
    public var exactLines = 30
    /// Branch-and-bound nodes for exact-size orders and for larger ones.
    public var exactNodeLimit = 3_000_000
    public var heuristicNodeLimit = 30_000

    public init() {}
}
