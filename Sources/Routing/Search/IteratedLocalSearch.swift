/// Iterated local search (PyVRP 0.13+, after Burke and Bykov's late acceptance hill
/// climbing): perturb the current solution around a random client, repair it with a local
/// search limited to the perturbed neighbourhood, and accept the candidate when it beats
/// the current solution or the one accepted `historyLength` iterations ago. Penalty
/// weights adapt so that a target share of candidates is feasible; the best feasible
/// solution is kept (and searched exhaustively when found).
///
/// An iteration costs time proportional to the perturbed neighbourhood rather than to
/// the number of clients, which is why this beats the genetic search at short budgets on
/// large and rich instances.
final class IteratedLocalSearch: SearchAlgorithm {
    let inst: Instance
    let options: SolverOptions
    @exclusivity(unchecked) var rng: RNG
    let ls: LocalSearch
    let splitter: Split
    @exclusivity(unchecked) var pen: Penalties
    @exclusivity(unchecked) var best: Individual?
    @exclusivity(unchecked) var bestInfeasible: Individual?
    @exclusivity(unchecked) var iteration = 0
    @exclusivity(unchecked) private var history: [Individual?]
    @exclusivity(unchecked) private var historyNext = 0
    @exclusivity(unchecked) private var loadHistory: [Bool] = []
    @exclusivity(unchecked) private var timeHistory: [Bool] = []
    @exclusivity(unchecked) private var distanceHistory: [Bool] = []

    var populationSizes: (feasible: Int, infeasible: Int) { (best == nil ? 0 : 1, bestInfeasible == nil ? 0 : 1) }

    init(_ inst: Instance, seed: UInt64, options: SolverOptions) {
        self.inst = inst
        self.options = options
        rng = RNG(seed: seed)
        ls = LocalSearch(inst, seed: seed &+ 0x5151)
        splitter = Split(inst)
        pen = GeneticSearch.initialPenalties(inst)
        let auto = min(300, max(50, 50_000 / max(1, inst.activeClients.count)))
        history = [Individual?](repeating: nil, count: max(1, options.historyLength ?? auto))
    }

    func run(shouldStop: @escaping () -> Bool, progress: ((Int, Int64?) -> Void)?) {
        ls.shouldAbort = shouldStop
        if inst.activeClients.isEmpty { best = Individual(inst, routes: []); return }
        var current = initialSolution(shouldStop)
        note(current)
        progress?(0, best?.objective)
        let maxPerturb = max(1, min(options.maxPerturbations, inst.activeClients.count))
        let minPerturb = min(options.minPerturbations, maxPerturb)
        var sinceImprovement = 0
        while !shouldStop() {
            iteration += 1
            sinceImprovement += 1
            if sinceImprovement > options.restartAfter, let b = best {
                current = b
                ls.load(b.routes)
                for k in history.indices { history[k] = nil }
                sinceImprovement = 0
            }
            let checkpoint = ls.moveCount
            ls.perturb(count: minPerturb + rng.below(maxPerturb - minPerturb + 1))
            ls.run(pen: pen, exhaustive: false)
            var cand = Individual(inst, routes: ls.export())
            loadHistory.append(cand.loadFeasible)
            timeHistory.append(cand.timeFeasible)
            distanceHistory.append(cand.distanceExcess == 0)
            if cand.isFeasible && (best == nil || cand.objective < best!.objective) {
                sinceImprovement = 0
                ls.run(pen: pen, exhaustive: true)
                let polished = Individual(inst, routes: ls.export())
                if polished.isFeasible && polished.objective <= cand.objective {
                    cand = polished
                } else {
                    // The search must hold the solution it goes on from: `restore` puts back
                    // only routes changed after the next checkpoint, so a polish left in the
                    // search would mix two solutions (a client on two routes, another on none).
                    ls.load(cand.routes)
                }
            }
            note(cand)
            let candCost = cand.penalised(inst, pen)
            let currCost = current.penalised(inst, pen)
            let late = history[historyNext]
            let lateCost = late?.penalised(inst, pen) ?? currCost
            if candCost < lateCost || candCost < currCost {
                current = cand
            } else {
                ls.restore(current.routes, since: checkpoint)
            }
            if late == nil || current.penalised(inst, pen) < lateCost { history[historyNext] = current }
            historyNext = (historyNext + 1) % history.count
            if iteration % options.penaltyUpdateInterval == 0 {
                adjustPenalties()
                progress?(iteration, best?.objective)
            }
        }
    }

    private func note(_ ind: Individual) {
        if ind.isFeasible {
            if best == nil || ind.objective < best!.objective { best = ind }
        } else if bestInfeasible == nil || ind.penalised(inst, pen) < bestInfeasible!.penalised(inst, pen) {
            bestInfeasible = ind
        }
    }

    /// The better of a few constructions (polar sweep, nearest neighbour, by deadline),
    /// each split into routes and searched to a local optimum.
    private func initialSolution(_ shouldStop: () -> Bool) -> Individual {
        let clients = inst.activeClients
        var tours: [[Int]] = []
        if let ang = inst.angle {
            tours.append(clients.sorted { ang[$0] < ang[$1] || (ang[$0] == ang[$1] && $0 < $1) })
        }
        if inst.hasTime {
            tours.append(clients.sorted { inst.twLate[$0] < inst.twLate[$1] || (inst.twLate[$0] == inst.twLate[$1] && $0 < $1) })
        }
        if tours.isEmpty { tours.append(clients) }
        var chosen: Individual?
        for tour in tours.prefix(options.initialSolutions) {
            ls.load(splitter.split(tour, pen: pen))
            ls.run(pen: pen)
            let ind = Individual(inst, routes: ls.export())
            note(ind)
            if chosen == nil || ind.penalised(inst, pen) < chosen!.penalised(inst, pen) { chosen = ind }
            if shouldStop() { break }
        }
        ls.load(chosen!.routes)
        ls.run(pen: pen, exhaustive: false)
        return Individual(inst, routes: ls.export())
    }

    private func adjustPenalties() {
        pen.adapt(toward: options.targetFeasibleILS, increase: 1.25, load: loadHistory, time: timeHistory, distance: distanceHistory, inst)
        loadHistory.removeAll(keepingCapacity: true)
        timeHistory.removeAll(keepingCapacity: true)
        distanceHistory.removeAll(keepingCapacity: true)
    }
}

/// What `solve` needs from a search algorithm.
protocol SearchAlgorithm: AnyObject {
    var iteration: Int { get }
    var best: Individual? { get }
    var bestInfeasible: Individual? { get }
    var populationSizes: (feasible: Int, infeasible: Int) { get }
    func run(shouldStop: @escaping () -> Bool, progress: ((Int, Int64?) -> Void)?)
}
