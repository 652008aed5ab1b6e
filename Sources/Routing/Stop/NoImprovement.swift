/// Stops after a number of consecutive iterations without a better feasible solution.
public struct NoImprovement: StoppingCriterion {
    /// Allowed iterations without improvement.
    public let iterations: Int
    private var best: Int64?
    private var lastImprovement = 0

    /// Creates the criterion.
    public init(_ iterations: Int) { self.iterations = iterations }

    public mutating func shouldStop(iteration: Int, bestCost: Int64?) -> Bool {
        if let c = bestCost, best == nil || c < best! {
            best = c
            lastImprovement = iteration
        }
        return iteration - lastImprovement >= iterations
    }
}
