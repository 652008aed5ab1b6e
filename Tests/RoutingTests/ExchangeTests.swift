import Testing
@testable import Routing

/// Exchange(N, M) covers relocate, or-opt, swap and segment swaps: the evaluated delta
/// must equal the change of the recomputed cost after applying the move.
@Suite struct ExchangeTests {
    @Test(arguments: [(1, 0), (2, 0), (3, 0), (1, 1), (2, 1), (2, 2)])
    func deltaMatchesAppliedChangeBetweenRoutes(_ nm: (Int, Int)) throws {
        let data = try Fixtures.cvrp(12)
        for pu in 1...3 {
            for pv in 0...3 {
                let ls = Fixtures.search(data, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
                let before = Fixtures.total(ls)
                let delta = ls.evaluateExchange(nm.0, nm.1, 0, pu, 1, pv)
                if delta == .max { continue }
                ls.applyExchange(nm.0, nm.1, 0, pu, 1, pv)
                #expect(Fixtures.total(ls) - before == delta)
                #expect(ls.routes.map(\.count).reduce(0, +) == 12)
            }
        }
    }

    @Test(arguments: [(1, 0), (2, 0), (1, 1), (2, 1), (2, 2)])
    func deltaMatchesAppliedChangeWithinRoute(_ nm: (Int, Int)) throws {
        let data = try Fixtures.vrptw(8)
        for pu in 1...7 {
            for pv in 0...7 {
                let ls = Fixtures.search(data, [[0, 1, 2, 3, 4, 5, 6, 7]])
                let before = Fixtures.total(ls)
                let delta = ls.evaluateExchange(nm.0, nm.1, 0, pu, 0, pv)
                if delta == .max { continue }
                ls.applyExchange(nm.0, nm.1, 0, pu, 0, pv)
                #expect(Fixtures.total(ls) - before == delta)
                #expect(Set(ls.routes[0].nodes[1..<ls.routes[0].last]).count == 8)
            }
        }
    }

    @Test func relocateFixesAnObviousDetour() throws {
        // Clients on a line; client 3 sits between 0 and 1 but is served by route 2.
        let coords: [(x: Double, y: Double)] = [(0, 0), (10, 0), (20, 0), (30, 0), (15, 0), (0, 50)]
        let clients = (1...5).map { Client(location: $0, delivery: [1]) }
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 2, capacity: [10])])
        let ls = Fixtures.search(data, [[0, 1, 2], [3, 4]])
        let before = Fixtures.total(ls)
        ls.run(pen: ls.pen)
        #expect(Fixtures.total(ls) < before)
        #expect(ls.routes[ls.routeOf[ls.inst.depotCount + 3]].nodes.contains(ls.inst.depotCount + 1))
    }
}
