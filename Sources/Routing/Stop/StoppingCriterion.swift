/// Decides when `solve` stops. Called once per search iteration (and during the
/// construction of the initial population) with the iteration count and the cost of the
/// best feasible solution so far.
public protocol StoppingCriterion: Sendable {
    /// Returns true when the search should stop now.
    mutating func shouldStop(iteration: Int, bestCost: Int64?) -> Bool
}

extension StoppingCriterion {
    /// Stops as soon as either criterion says so.
    public func or<Other: StoppingCriterion>(_ other: Other) -> FirstOf<Self, Other> {
        FirstOf(self, other)
    }
}

/// Stops when either of two criteria stops.
public struct FirstOf<A: StoppingCriterion, B: StoppingCriterion>: StoppingCriterion {
    var a: A
    var b: B
    /// Combines two criteria.
    public init(_ a: A, _ b: B) {
        self.a = a
        self.b = b
    }
    public mutating func shouldStop(iteration: Int, bestCost: Int64?) -> Bool {
        // Evaluate both so that stateful criteria (clocks, counters) stay in step.
        let x = a.shouldStop(iteration: iteration, bestCost: bestCost)
        let y = b.shouldStop(iteration: iteration, bestCost: bestCost)
        return x || y
    }
}
