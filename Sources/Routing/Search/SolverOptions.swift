/// Tuning knobs of the search; the defaults are those used by the benchmarks.
public struct SolverOptions: Sendable {
    /// Independent searches run in parallel (different seeds); the best result wins.
    public var threads: Int = 1
    /// Neighbours per client in the granular neighbourhood.
    public var granularity: Int = 20
    /// Minimum sub-population size (mu).
    public var populationSize: Int = 25
    /// Offspring added before survivor selection (lambda).
    public var generationSize: Int = 40
    /// Individuals built for the initial population.
    public var initialPopulation: Int = 50
    /// Elite individuals protected by the biased fitness.
    public var elite: Int = 4
    /// Neighbours used to measure an individual's diversity contribution.
    public var closest: Int = 5
    /// Share of local-search results that should be feasible.
    public var targetFeasible: Double = 0.2
    /// Restart the population after this many iterations without improvement.
    public var restartAfter: Int = 20_000

    /// Default options.
    public init() {}
}
