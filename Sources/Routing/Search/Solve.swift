import Foundation

/// Solves `data` with hybrid genetic search until `stop` says so.
///
/// - Parameters:
///   - data: the problem.
///   - stop: when to stop (`MaxRuntime`, `MaxIterations`, `NoImprovement`,
///     `Cancellation`, or combinations via `.or`). Task cancellation always stops.
///   - seed: seed of the random generator; the same data, seed and iteration-based stop
///     give the same solution.
///   - options: search parameters (threads, population sizes...).
///   - progress: called every 100 iterations from the (first) search thread.
/// - Returns: a solution whose routes respect every hard constraint; clients that could
///   not be served are listed in `unassigned` with a reason.
public func solve(
    _ data: ProblemData, stop: some StoppingCriterion, seed: UInt64 = 1, options: SolverOptions = SolverOptions(),
    progress: ((ProgressInfo) -> Void)? = nil
) -> Solution {
    let started = DispatchTime.now().uptimeNanoseconds
    let elapsed: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    // Only the first search thread reports progress, so the callback never runs concurrently.
    let report = UncheckedBox(progress)
    let inst = Instance(data, granularity: options.granularity)
    let threads = max(1, options.threads)
    let results = ResultBox(count: threads)
    let work: @Sendable (Int) -> Void = { k in
        var criterion = stop
        let searchSeed = seed &+ UInt64(k) &* 0x9E37_79B9
        let search: SearchAlgorithm = options.algorithm == .hybridGenetic
            ? GeneticSearch(inst, seed: searchSeed, options: options)
            : IteratedLocalSearch(inst, seed: searchSeed, options: options)
        search.run(
            shouldStop: {
                criterion.shouldStop(iteration: search.iteration, bestCost: search.best?.objective)
                    || Task.isCancelled
            },
            progress: k == 0 && report.value != nil
                ? { it, cost in
                    report.value?(ProgressInfo(
                        iteration: it, elapsed: elapsed(), bestCost: cost,
                        feasiblePopulation: search.populationSizes.feasible,
                        infeasiblePopulation: search.populationSizes.infeasible))
                } : nil)
        results.set(k, search.best ?? search.bestInfeasible, search.iteration)
    }
    if threads == 1 {
        work(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: threads, execute: work)
    }
    var chosen: Individual?
    var iterations = 0
    for (ind, it) in results.all {
        iterations += it
        guard let ind else { continue }
        if chosen == nil || (ind.isFeasible && !chosen!.isFeasible)
            || (ind.isFeasible == chosen!.isFeasible && ind.objective < chosen!.objective) {
            chosen = ind
        }
    }
    return Finalizer(inst: inst).solution(from: chosen, iterations: iterations, runtime: elapsed())
}

/// Collects per-thread results.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(Individual?, Int)]
    init(count: Int) { items = Array(repeating: (nil, 0), count: count) }
    func set(_ k: Int, _ ind: Individual?, _ it: Int) { lock.withLock { items[k] = (ind, it) } }
    var all: [(Individual?, Int)] { lock.withLock { items } }
}

private final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
