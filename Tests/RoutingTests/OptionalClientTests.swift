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

    /// Two required clients near the depot and a far cluster of three optional ones whose
    /// prizes (40 each) do not pay for the trip out (about 200 there and back), although
    /// each alone is a detour of a few units once the route is there.
    func cluster(prize: Int64 = 40) throws -> ProblemData {
        let coords: [(x: Double, y: Double)] = [(0, 0), (10, 0), (20, 0), (0, 100), (2, 100), (4, 100)]
        let clients = [
            Client(location: 1, delivery: [1]), Client(location: 2, delivery: [1]),
            Client(location: 3, delivery: [1], required: false, prize: prize),
            Client(location: 4, delivery: [1], required: false, prize: prize),
            Client(location: 5, delivery: [1], required: false, prize: prize),
        ]
        return try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 2, capacity: [10])])
    }

    @Test func dropsAClusterNoSingleRemovalWould() throws {
        let ls = Fixtures.search(try cluster(), [[0, 1, 4, 3, 2]])
        let nd = ls.inst.depotCount
        let before = Fixtures.total(ls)
        // No single removal pays: the search without segment drops stays here.
        for c in 2...4 { #expect(!ls.tryRemoveOptional(nd + c)) }
        #expect(ls.segmentDropPhase())
        for c in 2...4 { #expect(ls.routeOf[nd + c] == -1) }
        #expect(ls.routeOf[nd] == 0 && ls.routeOf[nd + 1] == 0)
        // The objective (routes + lost prizes) fell by the trip out less the prizes.
        #expect(Fixtures.total(ls) + 120 < before)
    }

    @Test func solveLeavesTheClusterOut() throws {
        for algorithm in SolverOptions.Algorithm.allCases {
            var o = Fixtures.quick
            o.algorithm = algorithm
            let s = solve(try cluster(), stop: MaxIterations(50), seed: 1, options: o)
            #expect(Set(s.unassigned.map(\.client)) == [2, 3, 4])
            #expect(s.prizesLost == 120)
            #expect(s.isFeasible)
        }
    }

    @Test func keepsAClusterThatPays() throws {
        let data = try cluster(prize: 100)
        let ls = Fixtures.search(data, [[0, 1, 4, 3, 2]])
        #expect(!ls.segmentDropPhase())
        let s = solve(data, stop: MaxIterations(50), seed: 1, options: Fixtures.quick)
        #expect(s.unassigned.isEmpty)
    }
}

