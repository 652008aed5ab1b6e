import RuralPostCore

/// Warehouses compiled for the search: dense stock matrix `stock[w * skuCount + s]`
/// so that sequential and batch runs update stock without dictionary traffic.
struct WarehouseTable: Sendable {
    var ids: [String]
    var locations: [GeoPoint]
    var coldChain: [Bool]
    var stock: [Int64]
    let skuCount: Int

    var count: Int { ids.count }

    @inline(__always) func units(_ w: Int, _ s: Int) -> Int64 { stock[w &* skuCount &+ s] }

    /// Validates and compiles. Stock of SKU ids the engine does not know is ignored
    /// (it cannot be ordered), so the intake may pass a warehouse's whole stock.
    init(_ warehouses: [SplitWarehouse], skuIndex: [String: Int], path: String = "warehouses") throws {
        skuCount = skuIndex.count
        ids = []
        locations = []
        coldChain = []
        stock = [Int64](repeating: 0, count: warehouses.count * skuIndex.count)
        var seen = Set<String>()
        for (w, wh) in warehouses.enumerated() {
            let p = "\(path)[\(w)]"
            if wh.id.isEmpty { throw SplitInputError(field: "\(p).id", message: "must not be empty") }
            if !seen.insert(wh.id).inserted { throw SplitInputError(field: "\(p).id", message: "duplicate warehouse id '\(wh.id)'") }
            if let problem = GeoPoint.problem(lat: wh.location.lat, lon: wh.location.lon) {
                throw SplitInputError(field: "\(p).\(problem.field)", message: problem.message)
            }
            for (sku, units) in wh.stock {
                if units < 0 { throw SplitInputError(field: "\(p).stock.\(sku)", message: "must be >= 0 (got \(units))") }
                if let s = skuIndex[sku] { stock[w * skuCount + s] = units }
            }
            ids.append(wh.id)
            locations.append(wh.location)
            coldChain.append(wh.coldChain)
        }
    }

    /// Stock as dictionaries, zeros omitted.
    func remainingStock(skuIds: [String]) -> [String: [String: Int64]] {
        var out: [String: [String: Int64]] = [:]
        for w in 0..<count {
            var d: [String: Int64] = [:]
            for s in 0..<skuCount where units(w, s) > 0 { d[skuIds[s]] = units(w, s) }
            out[ids[w]] = d
        }
        return out
    }
}
