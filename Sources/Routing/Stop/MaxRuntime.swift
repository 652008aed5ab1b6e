import Foundation

/// Stops once a wall-clock budget has elapsed, counted from the first check.
public struct MaxRuntime: StoppingCriterion {
    /// Budget in seconds.
    public let seconds: Double
    private var deadline: UInt64?

    /// Creates a runtime budget.
    public init(seconds: Double) { self.seconds = seconds }

    public mutating func shouldStop(iteration: Int, bestCost: Int64?) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        if deadline == nil { deadline = now + UInt64(max(0, seconds) * 1e9) }
        return now >= deadline!
    }
}
