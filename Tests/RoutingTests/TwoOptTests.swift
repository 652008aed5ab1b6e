import Testing
@testable import Routing

/// Intra-route 2-opt: delta equals the recomputed change, also with asymmetric matrices.
@Suite struct TwoOptTests {
    @Test func deltaMatchesAppliedChangeAsymmetric() throws {
        var rng = RNG(seed: 3)
        let n = 8
        let d = (0..<n).map { i in (0..<n).map { j in i == j ? Int64(0) : Int64(5 + rng.below(50)) } }
        let clients = (1..<n).map { Client(location: $0, delivery: [1], timeWindows: [Window(start: 0, end: 400)]) }
        let data = try ProblemData(
            distances: d, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 1, capacity: [10], shift: Window(start: 0, end: 300))])
        for i in 0...5 {
            for j in (i + 2)...7 {
                let ls = Fixtures.search(data, [[0, 1, 2, 3, 4, 5, 6]])
                let before = Fixtures.total(ls)
                let delta = ls.evaluateTwoOpt(0, i, j)
                if delta == .max { continue }
                ls.applyTwoOpt(0, i, j)
                #expect(Fixtures.total(ls) - before == delta)
            }
        }
    }

    @Test func removesASelfCrossing() throws {
        let coords: [(x: Double, y: Double)] = [(0, 0), (0, 10), (10, 0), (10, 10), (0, 20)]
        let clients = (1...4).map { Client(location: $0, delivery: [1]) }
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 1, capacity: [10])])
        // 0 -> (0,10) -> (10,10) -> (10,0)... a zig-zag that 2-opt shortens.
        let ls = Fixtures.search(data, [[0, 1, 2, 3]])
        var best = Int64.max
        for i in 0...2 { for j in (i + 2)...4 { best = min(best, ls.evaluateTwoOpt(0, i, j)) } }
        #expect(best < 0)
    }
}
