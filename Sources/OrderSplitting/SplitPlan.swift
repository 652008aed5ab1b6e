import RuralPostCore

/// One parcel: what is in it, its weight, zone (0-based index into the tariff's
/// sorted zones) and price.
public struct ParcelPlan: Hashable, Sendable, Codable {
    /// Units per SKU id in this parcel.
    public var items: [String: Int64]
    /// Total weight, at most the tariff's `parcelMaxGrams`.
    public var grams: Grams
    /// 0-based index into the tariff's zones sorted by `maxKm`.
    public var zone: Int
    /// `handlingFen + firstKgFen + (kg - 1) * additionalKgFen` of the zone.
    public var costFen: Fen

    public init(items: [String: Int64], grams: Grams, zone: Int, costFen: Fen) {
        self.items = items
        self.grams = grams
        self.zone = zone
        self.costFen = costFen
    }
}

/// Everything one warehouse ships for one order, as parcels.
public struct ShipmentPlan: Hashable, Sendable, Codable {
    /// Warehouse id.
    public var warehouse: String
    /// At least one parcel.
    public var parcels: [ParcelPlan]

    public init(warehouse: String, parcels: [ParcelPlan]) {
        self.warehouse = warehouse
        self.parcels = parcels
    }

    /// Sum of the parcel prices.
    public var costFen: Fen { parcels.reduce(0) { $0 + $1.costFen } }
}

/// The split of one order.
///
/// `costFen` = parcel prices + `backorderFen` x unfilled units. When the policy forbids
/// partial fills and no complete fill exists (or every complete fill costs more than
/// backordering the whole order), the plan has no shipments, every unit in `unfilled`,
/// `fillable == false`, and costs `backorderFen` x all units (nothing is reserved, so
/// the caller can reject or hold the order).
public struct SplitPlan: Hashable, Sendable, Codable {
    /// The order's id (JSON key `id`).
    public var orderId: String
    /// One per warehouse used (at most `maxWarehouses`).
    public var shipments: [ShipmentPlan]
    /// Units not shipped, per SKU id (absent when zero).
    public var unfilled: [String: Int64]
    /// Parcel prices + `backorderFen` x unfilled units.
    public var costFen: Fen
    /// Why each warehouse was chosen, in words.
    public var explain: [String]
    /// True when the plan is proven least-cost (search completed); false when a
    /// search limit was hit and the plan is the best found (see `lowerBoundFen`).
    public var exact: Bool
    /// False only when `allowPartial` is false and the order is not filled at all (no
    /// complete fill exists, or none costs at most `backorderFen` x units).
    public var fillable: Bool
    /// A proven lower bound on the cost of any plan for this order given the stock
    /// (equals `costFen` when `exact`).
    public var lowerBoundFen: Fen

    public init(
        orderId: String, shipments: [ShipmentPlan], unfilled: [String: Int64], costFen: Fen,
        explain: [String], exact: Bool, fillable: Bool, lowerBoundFen: Fen
    ) {
        self.orderId = orderId
        self.shipments = shipments
        self.unfilled = unfilled
        self.costFen = costFen
        self.explain = explain
        self.exact = exact
        self.fillable = fillable
        self.lowerBoundFen = lowerBoundFen
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "id", shipments, unfilled, costFen, explain, exact, fillable, lowerBoundFen
    }

    /// Units shipped per (warehouse id, SKU id), summed over parcels.
    public var shippedUnits: [String: [String: Int64]] {
        var out: [String: [String: Int64]] = [:]
        for s in shipments {
            for p in s.parcels {
                for (sku, n) in p.items { out[s.warehouse, default: [:]][sku, default: 0] += n }
            }
        }
        return out
    }
}

/// Splitting mode: real-time intake or a wave before picking.
public enum SplitMode: String, Hashable, Sendable, Codable {
    case sequential, batch
}

/// The plans for a list of orders.
public struct SplitResult: Hashable, Sendable, Codable {
    /// The mode that produced the plans.
    public var mode: SplitMode
    /// One plan per input order, in input order.
    public var orders: [SplitPlan]
    /// Sum of the plans' `costFen`.
    public var totalCostFen: Fen
    /// A proven lower bound on the total cost of any allocation of the wave
    /// (batch mode; in sequential mode the sum of the per-order bounds).
    public var lowerBoundFen: Fen
    /// Number of plans proven least-cost for their subproblem.
    public var exactOrders: Int
    /// Stock left after the plans, per warehouse id and SKU id (zeros omitted).
    public var remainingStock: [String: [String: Int64]]

    public init(
        mode: SplitMode, orders: [SplitPlan], totalCostFen: Fen, lowerBoundFen: Fen,
        exactOrders: Int, remainingStock: [String: [String: Int64]]
    ) {
        self.mode = mode
        self.orders = orders
        self.totalCostFen = totalCostFen
        self.lowerBoundFen = lowerBoundFen
        self.exactOrders = exactOrders
        self.remainingStock = remainingStock
    }
}
