import Testing
@testable import Routing

/// Optional clients: inserted when the prize pays for the detour, dropped otherwise.
@Suite struct OptionalClientTests {
    func data(prize: Int64) throws -> ProblemData {
        let coords: [(x: Double, y: Double)] = [(0, 0), (10, 0), (20, 0), (15, 40)]
        let clients = [
            Client(location: 1, delivery: [1]), Client(location: 2, delivery: [1]),
            Client(location: 3, delivery: [1], required: false, prize: prize),
        ]
        return try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 1, capacity: [10])])
    }

    @Test func dropsAnUnprofitableClient() throws {
        let ls = Fixtures.search(try data(prize: 5), [[0, 2, 1]])
        let u = ls.inst.depotCount + 2
        #expect(ls.tryRemoveOptional(u))
        #expect(ls.routeOf[u] == -1)
    }

    @Test func insertsAProfitableClient() throws {
        let ls = Fixtures.search(try data(prize: 500), [[0, 1]])
        let u = ls.inst.depotCount + 2
        #expect(ls.tryInsertUnassigned(u))
        #expect(ls.routeOf[u] == 0)
    }

    @Test func solveReportsSkippedOptionalClients() throws {
        let s = solve(try data(prize: 5), stop: MaxIterations(20), seed: 1, options: Fixtures.quick)
        #expect(s.unassigned.map(\.client) == [2])
        #expect(s.unassigned.first?.reason == .notProfitable)
        #expect(s.prizesLost == 5)
        #expect(s.isComplete)
    }
}
