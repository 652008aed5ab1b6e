/// Feasible and infeasible sub-populations with biased fitness (cost rank plus
/// diversity rank) and survivor selection that removes clones first (Vidal 2012).
struct SubPopulation {
    var members: [Individual] = []
    var costs: [Int64] = []
    /// Broken-pairs distances between members (symmetric).
    var distance: [[Double]] = []
    var fitness: [Double] = []

    var count: Int { members.count }

    mutating func add(_ ind: Individual, cost: Int64, inst: Instance) {
        var row: [Double] = []
        row.reserveCapacity(members.count + 1)
        for k in members.indices {
            let d = ind.brokenPairs(members[k], inst)
            row.append(d)
            distance[k].append(d)
        }
        row.append(0)
        distance.append(row)
        members.append(ind)
        costs.append(cost)
    }

    mutating func remove(_ k: Int) {
        members.remove(at: k)
        costs.remove(at: k)
        distance.remove(at: k)
        for i in distance.indices { distance[i].remove(at: k) }
    }

    /// Average distance to the `close` nearest other members.
    func diversity(_ k: Int, close: Int) -> Double {
        var row = distance[k]
        row.remove(at: k)
        if row.isEmpty { return 0 }
        row.sort()
        let m = min(close, row.count)
        return row.prefix(m).reduce(0, +) / Double(m)
    }

    mutating func updateFitness(close: Int, elite: Int) {
        let n = members.count
        fitness = [Double](repeating: 0, count: n)
        if n <= 1 { return }
        let byCost = (0..<n).sorted { costs[$0] < costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
        var costRank = [Double](repeating: 0, count: n)
        for (r, k) in byCost.enumerated() { costRank[k] = Double(r) / Double(n - 1) }
        let div = (0..<n).map { diversity($0, close: close) }
        let byDiv = (0..<n).sorted { div[$0] > div[$1] || (div[$0] == div[$1] && $0 < $1) }
        let w = 1.0 - Double(elite) / Double(n)
        for (r, k) in byDiv.enumerated() { fitness[k] = costRank[k] + w * Double(r) / Double(n - 1) }
    }

    /// Removes members (clones first, then worst fitness) until `size` remain.
    mutating func survivors(size: Int, close: Int, elite: Int) {
        while members.count > size {
            updateFitness(close: close, elite: elite)
            var worst = -1
            var worstClone = false
            var worstFit = -Double.infinity
            for k in members.indices {
                let clone = distance[k].enumerated().contains { $0.offset != k && $0.element < 1e-9 }
                if (clone && !worstClone) || (clone == worstClone && fitness[k] > worstFit) {
                    worst = k
                    worstClone = clone
                    worstFit = fitness[k]
                }
            }
            remove(worst)
        }
    }
}
