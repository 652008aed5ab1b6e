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
    /// The search method.
    public var algorithm: Algorithm = .iteratedLocalSearch
    /// Iterated local search: late-acceptance history length; nil = by size, from 300
    /// (PyVRP's value, best on ~100 clients) down to 50 at 1,000 clients, where far
    /// fewer iterations per client fit into a short budget (measured at 10 s).
    public var historyLength: Int? = nil
    /// Iterated local search: clients perturbed per iteration (uniform in min...max).
    public var minPerturbations: Int = 1
    public var maxPerturbations: Int = 25
    /// Iterated local search: constructions tried for the starting solution.
    public var initialSolutions: Int = 2
    /// Iterated local search: target share of feasible candidates for the penalties.
    public var targetFeasibleILS: Double = 0.5
    /// Iterations between penalty updates.
    public var penaltyUpdateInterval: Int = 100

    /// Search methods `solve` offers.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// Perturb-and-repair with late acceptance (PyVRP 0.13+): the default.
        case iteratedLocalSearch = "ils"
        /// Hybrid genetic search (Vidal 2012): a population, crossover and Split.
        case hybridGenetic = "hgs"
    }

    /// Default options.
    public init() {}
}
