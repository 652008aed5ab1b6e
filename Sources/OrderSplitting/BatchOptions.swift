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

/// SplitMix64: small, fast, seedable.
struct SplitRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
