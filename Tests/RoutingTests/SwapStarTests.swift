import Testing
@testable import Routing

/// SWAP*: two clients served by the "wrong" routes get exchanged, each inserted at its
/// best place in the other route.
@Suite struct SwapStarTests {
    @Test func exchangesMisplacedClients() throws {
        // Route A serves the east side except one western client; route B the reverse.
        let coords: [(x: Double, y: Double)] = [
            (0, 0), (10, 1), (12, 3), (11, -2), (-10, 1), (-12, 3), (-11, -2),
        ]
        let clients = (1...6).map { Client(location: $0, delivery: [1]) }
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 2, capacity: [3])])
        // Capacity 3 forbids plain relocation; only an exchange keeps both routes feasible.
        let ls = Fixtures.search(data, [[0, 1, 3], [4, 2, 5]], pen: Penalties(load: 1000, timeWarp: 1, distance: 1))
        let before = Fixtures.total(ls)
        #expect(ls.swapStar(0, 1))
        let after = Fixtures.total(ls)
        #expect(after < before)
        #expect(ls.routes[0].count == 3 && ls.routes[1].count == 3)
    }

    @Test func neverAppliesAWorseningMove() throws {
        let data = try Fixtures.vrptw(12)
        let ls = Fixtures.search(data, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
        let before = Fixtures.total(ls)
        _ = ls.swapStar(0, 1)
        #expect(Fixtures.total(ls) <= before)
    }
}
