/// Stops after a number of search iterations (deterministic, unlike a time limit).
public struct MaxIterations: StoppingCriterion {
    /// Iteration budget.
    public let iterations: Int
    /// Creates an iteration budget.
    public init(_ iterations: Int) { self.iterations = iterations }
    public func shouldStop(iteration: Int, bestCost: Int64?) -> Bool { iteration >= iterations }
}
