import RuralPostCore

/// The JSON input of `ruralpost split` and of the benchmark:
/// `{"tariff", "policy", "warehouses", "skus", "orders"}` (see docs/splitting.md).
public struct SplitDocument: Hashable, Sendable, Codable {
    /// Tariff, policy, warehouses with stock, SKU catalogue and orders (in intake order).
    public var tariff: Tariff
    public var policy: SplitPolicy
    public var warehouses: [SplitWarehouse]
    public var skus: [SplitSKU]
    public var orders: [SplitOrder]

    public init(tariff: Tariff, policy: SplitPolicy, warehouses: [SplitWarehouse], skus: [SplitSKU], orders: [SplitOrder]) {
        self.tariff = tariff
        self.policy = policy
        self.warehouses = warehouses
        self.skus = skus
        self.orders = orders
    }
}
