import Testing
@testable import Routing

/// Multi-trip solutions on planning-like instances (one vehicle per type, reloads at the
/// depot, release times, time windows, simultaneous pickups, a refrigerated subset) keep
/// every client exactly once: on one route or unassigned.
@Suite struct MultiTripPartitionTests {
    static func instance(seed: UInt64, n: Int) throws -> ProblemData {
        var rng = SplitMix(seed)
        var pts: [(x: Double, y: Double)] = [(0, 0)]
        for _ in 0..<n { pts.append((Double(rng.next() % 2000) - 1000, Double(rng.next() % 2000) - 1000)) }
        let clients = (1...n).map { i -> Client in
            let open = Int64(rng.next() % 300)
            return Client(location: i, delivery: [Int64(1 + rng.next() % 30), 1], pickup: [rng.next() % 5 == 0 ? 10 : 0, 0],
                          serviceDuration: 20, timeWindows: [Window(start: open, end: open + 900 + Int64(rng.next() % 2000))],
                          skills: rng.next() % 7 == 0 ? ["cold"] : [], releaseTime: rng.next() % 4 == 0 ? 600 : 0)
        }
        let types = (0..<6).map { k in
            VehicleType(count: 1, capacity: [k < 4 ? 90 : 200, 1_000_000], shift: Window(start: 0, end: 4000), fixedCost: 1000,
                        skills: k >= 4 ? ["cold"] : [], name: "v\(k)", reloadDepots: [0], maxReloads: 2)
        }
        return try ProblemData(coordinates: pts, depots: [Depot(location: 0)], clients: clients, vehicleTypes: types)
    }

    struct SplitMix {
        var state: UInt64
        init(_ seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyClientOnceWithReloads(seed: UInt64) throws {
        let data = try Self.instance(seed: seed, n: 80)
        let sol = solve(data, stop: MaxIterations(1000), seed: seed)
        var seen = [Int](repeating: 0, count: data.clients.count)
        for r in sol.routes { for c in r.clients { seen[c] += 1 } }
        for u in sol.unassigned { seen[u.client] += 1 }
        let wrong = seen.indices.filter { seen[$0] != 1 }
        #expect(wrong.isEmpty, "clients not exactly once: \(wrong.map { ($0, seen[$0]) })")
        for r in sol.routes {
            #expect(r.trips.flatMap { Array($0.visits) } == Array(r.visits.indices), "trips do not partition the visits")
        }
    }
}
