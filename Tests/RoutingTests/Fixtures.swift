@testable import Routing

/// Tiny instances shared by the tests (PyVRP's `ok_small` idea): small enough to reason
/// about by hand and to solve in milliseconds in a debug build.
enum Fixtures {
    /// Small populations keep iteration-limited solves fast in debug builds.
    static var quick: SolverOptions {
        var o = SolverOptions()
        o.initialPopulation = 12
        o.populationSize = 8
        o.generationSize = 12
        return o
    }

    /// Points on a grid; depot at the origin.
    static func points(_ n: Int, seed: UInt64 = 7) -> [(x: Double, y: Double)] {
        var rng = RNG(seed: seed)
        return [(x: 50, y: 50)] + (0..<n).map { _ in (x: Double(rng.below(100)), y: Double(rng.below(100))) }
    }

    /// A CVRP with `n` clients of demand 1...9 and vehicles of capacity `capacity`.
    static func cvrp(_ n: Int, capacity: Int64 = 20, vehicles: Int = 10, seed: UInt64 = 7) throws -> ProblemData {
        var rng = RNG(seed: seed &+ 1)
        let clients = (1...n).map { Client(location: $0, delivery: [Int64(1 + rng.below(9))]) }
        return try ProblemData(
            coordinates: points(n, seed: seed), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: vehicles, capacity: [capacity])])
    }

    /// A VRPTW with wide windows and service times.
    static func vrptw(_ n: Int, seed: UInt64 = 11) throws -> ProblemData {
        var rng = RNG(seed: seed)
        let clients = (1...n).map { i -> Client in
            let a = Int64(rng.below(300))
            return Client(
                location: i, delivery: [Int64(1 + rng.below(5))], serviceDuration: 10,
                timeWindows: [Window(start: a, end: a + 120)])
        }
        return try ProblemData(
            coordinates: points(n, seed: seed), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 8, capacity: [30], shift: Window(start: 0, end: 1000))])
    }

    /// A local search loaded with `routes` (client indices, not nodes) under `pen`.
    static func search(_ data: ProblemData, _ routes: [[Int]], pen: Penalties = Penalties(load: 10, timeWarp: 10, distance: 10))
        -> LocalSearch
    {
        let inst = Instance(data)
        let ls = LocalSearch(inst, seed: 1)
        ls.load(routes.map { $0.map { $0 + inst.depotCount } })
        ls.pen = pen
        for k in ls.routes.indices { ls.refresh(k) }
        return ls
    }

    /// Sum of penalised route costs, recomputed from scratch.
    static func total(_ ls: LocalSearch) -> Int64 {
        ls.routes.map { ls.fullCost([$0.nodes[0]] + Array($0.nodes[1..<$0.last]), vt: $0.vt) }.reduce(0, +)
    }

    /// Every client appears exactly once over all routes (or is listed as unassigned).
    static func isPartition(_ s: Solution, clients: Int) -> Bool {
        var seen = [Int](repeating: 0, count: clients)
        for r in s.routes { for c in r.clients { seen[c] += 1 } }
        for u in s.unassigned { seen[u.client] += 1 }
        return seen.allSatisfy { $0 == 1 }
    }
}
