import Foundation

/// Hybrid genetic search (Vidal 2012, 2022): order crossover on giant tours, split,
/// granular local search as education, feasible/infeasible sub-populations with
/// diversity management, and penalties that adapt to the share of feasible offspring.
final class GeneticSearch: SearchAlgorithm {
    let inst: Instance
    let options: SolverOptions
    @exclusivity(unchecked) var rng: RNG
    let ls: LocalSearch
    let splitter: Split
    @exclusivity(unchecked) var pen: Penalties
    @exclusivity(unchecked) var feasible = SubPopulation()
    @exclusivity(unchecked) var infeasible = SubPopulation()
    @exclusivity(unchecked) var best: Individual?
    @exclusivity(unchecked) var bestInfeasible: Individual?
    @exclusivity(unchecked) var iteration = 0
    @exclusivity(unchecked) var lastImprovement = 0
    @exclusivity(unchecked) var loadHistory: [Bool] = []
    @exclusivity(unchecked) var timeHistory: [Bool] = []
    @exclusivity(unchecked) var distanceHistory: [Bool] = []
    @exclusivity(unchecked) var stopNow: () -> Bool = { false }

    init(_ inst: Instance, seed: UInt64, options: SolverOptions) {
        self.inst = inst
        self.options = options
        rng = RNG(seed: seed)
        ls = LocalSearch(inst, seed: seed &+ 0x5151)
        splitter = Split(inst)
        pen = GeneticSearch.initialPenalties(inst)
    }

    var populationSizes: (feasible: Int, infeasible: Int) { (feasible.count, infeasible.count) }

    /// Starting penalty weights: a unit of overload or lateness costs about as much as
    /// the distance it could save.
    static func initialPenalties(_ inst: Instance) -> Penalties {
        var maxDist: Int64 = 1, maxDemand: Int64 = 1
        for v in inst.activeClients {
            maxDemand = max(maxDemand, pointwiseMax(inst.delivery[v], inst.pickup[v]).max())
        }
        var sumD = 0.0, sumT = 0.0
        let n = inst.nodeCount
        for i in 0..<n {
            for j in 0..<n {
                maxDist = max(maxDist, inst.d(i, j))
                sumD += Double(inst.d(i, j))
                sumT += Double(inst.t(i, j))
            }
        }
        let unit = Double(inst.vtUnitDist.max() ?? 1)
        return Penalties(
            load: max(0.1, min(1000, Double(maxDist) / Double(maxDemand))) * max(unit, 1),
            timeWarp: max(0.1, sumT > 0 ? unit * sumD / sumT : 1),
            distance: max(1, unit))
    }

    // MARK: - Running

    func run(shouldStop: @escaping () -> Bool, progress: ((Int, Int64?) -> Void)?) {
        stopNow = shouldStop
        ls.shouldAbort = shouldStop
        if inst.activeClients.isEmpty { best = Individual(inst, routes: []); return }
        initialPopulation()
        progress?(0, best?.objective)
        while !shouldStop() {
            if feasible.count + infeasible.count == 0 {
                // Only possible if a stop criterion paused the construction and then relented.
                initialPopulation()
                continue
            }
            iteration += 1
            generation()
            if iteration % 100 == 0 {
                adjustPenalties()
                progress?(iteration, best?.objective)
            }
            if iteration - lastImprovement > options.restartAfter {
                feasible = SubPopulation()
                infeasible = SubPopulation()
                lastImprovement = iteration
                initialPopulation()
            }
        }
    }

    private func initialPopulation() {
        var tours: [[Int]] = []
        let clients = inst.activeClients
        if let ang = inst.angle {
            // Sweep: the giant tour in polar order split optimally.
            let sweep = clients.sorted { ang[$0] < ang[$1] || (ang[$0] == ang[$1] && $0 < $1) }
            tours.append(sweep)
        }
        tours.append(nearestNeighbourTour())
        if inst.hasTime {
            tours.append(clients.sorted { inst.twLate[$0] < inst.twLate[$1] || (inst.twLate[$0] == inst.twLate[$1] && $0 < $1) })
        }
        var k = 0
        while k < options.initialPopulation && !stopNow() {
            let tour: [Int]
            if k < tours.count {
                tour = tours[k]
            } else {
                var t = clients
                t.shuffle(using: &rng)
                tour = t
            }
            educateAndAdd(splitter.split(tour, pen: pen))
            k += 1
        }
    }

    private func nearestNeighbourTour() -> [Int] {
        var left = Set(inst.activeClients)
        var tour: [Int] = []
        var cur = inst.vtStart[inst.slotType.first ?? 0]
        while !left.isEmpty {
            var bestV = -1
            var bestD = Int64.max
            for v32 in (cur >= inst.depotCount ? inst.neighbours[cur] : []) where left.contains(Int(v32)) {
                let v = Int(v32)
                if inst.d(cur, v) < bestD || (inst.d(cur, v) == bestD && v < bestV) { bestD = inst.d(cur, v); bestV = v }
            }
            if bestV < 0 {
                for v in left where inst.d(cur, v) < bestD || (inst.d(cur, v) == bestD && v < bestV) {
                    bestD = inst.d(cur, v)
                    bestV = v
                }
            }
            tour.append(bestV)
            left.remove(bestV)
            cur = bestV
        }
        return tour
    }

    private func generation() {
        let a = tournament(), b = tournament()
        let child = Crossover.ox(a.tour, b.tour, nodeCount: inst.nodeCount, rng: &rng)
        educateAndAdd(splitter.split(child, pen: pen))
    }

    private func educateAndAdd(_ routes: [[Int]]) {
        ls.load(routes)
        ls.run(pen: pen)
        let ind = Individual(inst, routes: ls.export())
        loadHistory.append(ind.loadFeasible)
        timeHistory.append(ind.timeFeasible)
        distanceHistory.append(ind.distanceExcess == 0)
        add(ind)
        if !ind.isFeasible && rng.unit() < 0.5 && !stopNow() {
            // Repair: the same search with much dearer violations.
            ls.run(pen: pen.scaled(10))
            let fixed = Individual(inst, routes: ls.export())
            if fixed.isFeasible { add(fixed) }
        }
    }

    private func add(_ ind: Individual) {
        let limit = options.populationSize + options.generationSize
        if ind.isFeasible {
            feasible.add(ind, cost: ind.objective, inst: inst)
            if feasible.count > limit { feasible.survivors(size: options.populationSize, close: options.closest, elite: options.elite) }
            if best == nil || ind.objective < best!.objective {
                best = ind
                lastImprovement = iteration
            }
        } else {
            let c = ind.penalised(inst, pen)
            infeasible.add(ind, cost: c, inst: inst)
            if infeasible.count > limit { infeasible.survivors(size: options.populationSize, close: options.closest, elite: options.elite) }
            if bestInfeasible == nil || c < bestInfeasible!.penalised(inst, pen) { bestInfeasible = ind }
        }
    }

    /// Binary tournament on biased fitness over both sub-populations.
    private func tournament() -> Individual {
        feasible.updateFitness(close: options.closest, elite: options.elite)
        infeasible.updateFitness(close: options.closest, elite: options.elite)
        let total = feasible.count + infeasible.count
        func pick() -> (Individual, Double) {
            let k = rng.below(total)
            return k < feasible.count
                ? (feasible.members[k], feasible.fitness[k])
                : (infeasible.members[k - feasible.count], infeasible.fitness[k - feasible.count])
        }
        let x = pick(), y = pick()
        return x.1 <= y.1 ? x.0 : y.0
    }

    private func adjustPenalties() {
        pen.adapt(toward: options.targetFeasible, increase: 1.2, load: loadHistory, time: timeHistory, distance: distanceHistory, inst)
        loadHistory.removeAll(keepingCapacity: true)
        timeHistory.removeAll(keepingCapacity: true)
        distanceHistory.removeAll(keepingCapacity: true)
        for k in infeasible.members.indices { infeasible.costs[k] = infeasible.members[k].penalised(inst, pen) }
    }
}
