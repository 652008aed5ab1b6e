/// Tuning for ``SplitEngine/batch(_:warehouses:policy:options:)``.
public struct BatchOptions: Hashable, Sendable, Codable {
    /// Wall-clock budget of the whole batch call (the first, sequential pass always
    /// completes; improvement and the lower bound use what is left).
    public var timeLimitSeconds: Double = 20
    /// Seed of the one random generator the improvement uses (same input + seed = same output).
    public var seed: UInt64 = 1
    /// Largest number of orders removed and re-inserted together by one move.
    public var maxMoveOrders = 6
    /// Subgradient iterations of the Lagrangian lower bound (0: bound = sum of each
    /// order's optimum against the full stock).
    public var boundIterations = 40

    public init() {}
}
