import RuralPostCore

extension SplitEngine {
    /// Turns a search result into parcels, unfilled units, cost and an explanation.
    func plan(_ s: OrderSolution, table: WarehouseTable) -> SplitPlan {
        let p = s.problem
        let nC = p.nC
        var unfilled: [String: Int64] = [:]
        for f in p.forcedUnfilled { unfilled[skus[f.sku].id, default: 0] += f.units }
        for l in 0..<p.nL where s.unfilledLines[l] > 0 { unfilled[skus[p.lineSku[l]].id, default: 0] += s.unfilledLines[l] }

        var shipments: [ShipmentPlan] = []
        var explain: [String] = []
        var parcelTotal: Fen = 0
        if s.fillable {
            // Warehouses in order of what they ship, heaviest shipment first.
            var used: [(c: Int, grams: Int64)] = []
            for c in 0..<nC {
                var g: Int64 = 0
                for l in 0..<p.nL { g += s.x[l * nC + c] * p.grams[l] }
                if g > 0 { used.append((c, g)) }
            }
            used.sort { $0.grams > $1.grams }
            for (c, _) in used {
                let counts = (0..<p.nL).map { s.x[$0 * nC + c] }
                let packer = ParcelPacker(capacity: p.capacity, firstParcel: p.firstParcel[c], additionalKg: p.additionalKg[c],
                                          heavyAbove: p.heavyAbove, heavySurcharge: p.heavySurcharge)
                let packed = packer.pack(grams: p.grams, counts: counts)
                var parcels: [ParcelPlan] = []
                for bin in packed.bins {
                    var items: [String: Int64] = [:]
                    var g: Int64 = 0
                    for l in 0..<p.nL where bin[l] > 0 {
                        items[skus[p.lineSku[l]].id] = bin[l]
                        g += bin[l] * p.grams[l]
                    }
                    let price = packer.price(g)
                    parcelTotal += price
                    parcels.append(ParcelPlan(items: items, grams: g, zone: p.zone[c], costFen: price))
                }
                let shipment = ShipmentPlan(warehouse: table.ids[p.cand[c]], parcels: parcels)
                explain.append(reason(for: c, in: s, shipment: shipment, grams: parcels.reduce(0) { $0 + $1.grams }))
                shipments.append(shipment)
            }
        }
        var units: Int64 = 0
        for (_, n) in unfilled { units += n }
        let cost = parcelTotal + units * p.backorderFen
        explain.append(contentsOf: unfilledReasons(s, unfilled: unfilled))
        if s.exact {
            explain.append("Least cost proven: branch and bound over every allocation (\(s.nodes) nodes).")
        } else {
            explain.append("Search limit reached (\(s.nodes) nodes): best plan found; no plan costs less than \(s.lowerBound) fen.")
        }
        return SplitPlan(
            orderId: s.orderId, shipments: shipments, unfilled: unfilled, costFen: s.fillable ? cost : s.cost,
            explain: explain, exact: s.exact, fillable: s.fillable, lowerBoundFen: s.exact ? (s.fillable ? cost : s.cost) : s.lowerBound)
    }

    private func reason(for c: Int, in s: OrderSolution, shipment: ShipmentPlan, grams: Int64) -> String {
        let p = s.problem
        let nC = p.nC
        var parts: [String] = []
        for l in 0..<p.nL where s.x[l * nC + c] > 0 {
            let sku = skus[p.lineSku[l]].id
            let units = s.x[l * nC + c]
            var sources: [Int] = []
            for k in 0..<nC where p.avail[l * nC + k] > 0 { sources.append(k) }
            let why: String
            if sources.count == 1 {
                why = skus[p.lineSku[l]].coldChain ? "only cold-chain source with stock in reach" : "only source with stock in reach"
            } else {
                let cheaper = sources.filter { lanePrice($0, p) < lanePrice(c, p) }
                if cheaper.isEmpty {
                    why = "cheapest lane among \(sources.count) sources"
                } else if cheaper.allSatisfy({ k in (0..<p.nL).allSatisfy { s.x[$0 * nC + k] == 0 } }) {
                    why = "consolidated here: a cheaper source would add another warehouse's parcel"
                } else {
                    why = "consolidated here: fits this shipment's chargeable kg and parcels at lower total cost"
                }
            }
            let split = units < p.qty[l] ? " (\(units) of \(p.qty[l]))" : ""
            parts.append("\(sku) x\(units)\(split): \(why)")
        }
        let km = (p.distanceKm[c] * 10).rounded() / 10
        return "\(shipment.warehouse): zone \(p.zone[c]) at \(km) km, \(shipment.parcels.count) parcel(s), \(grams) g, "
            + "\(shipment.costFen) fen. " + parts.joined(separator: "; ")
    }

    private func lanePrice(_ c: Int, _ p: OrderProblem) -> (Fen, Fen) { (p.firstParcel[c], p.additionalKg[c]) }

    private func unfilledReasons(_ s: OrderSolution, unfilled: [String: Int64]) -> [String] {
        let p = s.problem
        if !s.fillable {
            return [
                "Not filled: allowPartial is false and no complete fill within maxWarehouses=\(p.maxWarehouses) "
                    + "costs at most backordering all units (\(s.cost) fen); nothing shipped."
            ]
        }
        var out: [String] = []
        for f in p.forcedUnfilled {
            let cold = skus[f.sku].coldChain ? " (cold chain)" : ""
            out.append("\(skus[f.sku].id)\(cold): \(f.units) unfilled, no warehouse in reach has stock.")
        }
        for l in 0..<p.nL where s.unfilledLines[l] > 0 {
            var inReach: Int64 = 0
            for c in 0..<p.nC { inReach += p.avail[l * p.nC + c] }
            let why = inReach < p.qty[l]
                ? "only \(inReach) in stock within reach"
                : "the remaining sources would exceed maxWarehouses or cost more than the backorder (\(p.backorderFen) fen/unit)"
            out.append("\(skus[p.lineSku[l]].id): \(s.unfilledLines[l]) unfilled, \(why).")
        }
        return out
    }
}
