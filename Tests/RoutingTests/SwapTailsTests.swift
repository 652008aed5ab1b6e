import Testing
@testable import Routing

/// 2-opt* between two routes: delta equals the recomputed change, including the cases
/// where a route gives away all its clients.
@Suite struct SwapTailsTests {
    @Test func deltaMatchesAppliedChange() throws {
        let data = try Fixtures.vrptw(10)
        for pu in 0...4 {
            for pv in 0...4 {
                let ls = Fixtures.search(data, [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])
                let before = Fixtures.total(ls)
                let delta = ls.evaluateSwapTails(0, pu, 1, pv)
                if delta == .max { continue }
                ls.applySwapTails(0, pu, 1, pv)
                #expect(Fixtures.total(ls) - before == delta)
                #expect(ls.routes[0].count + ls.routes[1].count == 10)
            }
        }
    }

    @Test func untanglesCrossingRoutes() throws {
        // Two routes that cross: swapping tails removes the crossing.
        let coords: [(x: Double, y: Double)] = [(0, 0), (10, 10), (20, 20), (10, -10), (20, -20)]
        let clients = (1...4).map { Client(location: $0, delivery: [1]) }
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 2, capacity: [10])])
        let ls = Fixtures.search(data, [[0, 3], [2, 1]])
        #expect(ls.evaluateSwapTails(0, 1, 1, 1) < 0)
    }
}
