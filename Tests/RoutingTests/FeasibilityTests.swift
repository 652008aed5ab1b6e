import Testing
@testable import Routing

/// End-to-end: rich instances come out feasible, and what cannot be served is reported.
@Suite struct FeasibilityTests {
    @Test func simultaneousDeliveryAndPickupIsFeasible() throws {
        // VRPSPD: every client both receives and sends goods; the vehicle's peak load,
        // not just its delivered total, must stay within capacity.
        var rng = RNG(seed: 5)
        let n = 20
        let clients = (1...n).map {
            Client(location: $0, delivery: [Int64(1 + rng.below(8))], pickup: [Int64(1 + rng.below(8))])
        }
        let data = try ProblemData(
            coordinates: Fixtures.points(n, seed: 5), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 10, capacity: [25])])
        let s = solve(data, stop: MaxIterations(40), seed: 1, options: Fixtures.quick)
        #expect(s.isFeasible && s.isComplete)
        for r in s.routes {
            #expect(r.startLoad[0] <= 25)
            for v in r.visits { #expect(v.loadAfter[0] <= 25) }
        }
        #expect(Fixtures.isPartition(s, clients: n))
    }

    @Test func multiDepotMixedFleetWithSkillsIsFeasible() throws {
        // Two depots, a small refrigerated van and big dry trucks; cold clients need the van.
        let n = 16
        let coords = Fixtures.points(n + 1, seed: 9)  // location n+1 is the second depot
        var rng = RNG(seed: 9)
        let clients = (1...n).map { i in
            Client(
                location: i, delivery: [Int64(1 + rng.below(5)), Int64(rng.below(3))], serviceDuration: 5,
                timeWindows: [Window(start: 0, end: 600)], skills: i % 4 == 0 ? ["refrigerated"] : [])
        }
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0), Depot(location: n + 1)], clients: clients,
            vehicleTypes: [
                VehicleType(count: 1, capacity: [30, 10], startDepot: 0, shift: Window(start: 0, end: 800),
                            fixedCost: 50, skills: ["refrigerated"]),
                VehicleType(count: 3, capacity: [25, 6], startDepot: 1, endDepot: 0, shift: Window(start: 0, end: 800),
                            fixedCost: 20, unitDistanceCost: 2),
            ])
        let s = solve(data, stop: MaxIterations(40), seed: 3, options: Fixtures.quick)
        #expect(s.isFeasible && s.isComplete)
        #expect(Fixtures.isPartition(s, clients: n))
        for r in s.routes where r.vehicleType == 1 {
            #expect(r.clients.allSatisfy { data.clients[$0].skills.isEmpty })
        }
        for r in s.routes {
            let cap = data.vehicleTypes[r.vehicleType].capacity
            for d in 0..<2 { #expect(r.startLoad[d] <= cap[d]) }
            #expect(r.endTime <= 800)
            for v in r.visits { #expect(v.serviceStart <= 600) }
        }
    }

    @Test func impossibleClientsComeBackUnassignedWithReasons() throws {
        let coords: [(x: Double, y: Double)] = [(0, 0), (10, 0), (20, 0), (30, 0), (0, 900), (5, 5), (8, 8)]
        let clients = [
            Client(location: 1, delivery: [5]),
            Client(location: 2, delivery: [50]),  // heavier than any vehicle
            Client(location: 3, delivery: [1], skills: ["crane"]),  // no vehicle has a crane
            Client(location: 4, delivery: [1]),  // 900 away: cannot return within the shift
            Client(location: 5, delivery: [1], timeWindows: [Window(start: 0, end: 3)]),  // too early to reach
            Client(location: 6, delivery: [1]),
        ]
        let data = try ProblemData(
            coordinates: coords, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 2, capacity: [20], shift: Window(start: 0, end: 1000))])
        let s = solve(data, stop: MaxIterations(10), seed: 1, options: Fixtures.quick)
        let reasons = Dictionary(uniqueKeysWithValues: s.unassigned.map { ($0.client, $0.reason) })
        #expect(reasons[1] == .capacity)
        #expect(reasons[2] == .skills)
        #expect(reasons[3] == .timeWindow)
        #expect(reasons[4] == .timeWindow)
        #expect(reasons[0] == nil && reasons[5] == nil)
        #expect(s.isFeasible && !s.isComplete)
        #expect(Fixtures.isPartition(s, clients: 6))
    }

    @Test func fleetTooSmallLeavesClientsUnassigned() throws {
        // One vehicle of capacity 10 and 30 units of demand: some clients must stay out.
        let clients = (1...6).map { Client(location: $0, delivery: [5]) }
        let data = try ProblemData(
            coordinates: Fixtures.points(6), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 1, capacity: [10])])
        let s = solve(data, stop: MaxIterations(10), seed: 1, options: Fixtures.quick)
        #expect(s.isFeasible)
        #expect(s.routes.count == 1 && s.routes[0].clients.count == 2)
        #expect(s.unassigned.count == 4)
        #expect(s.unassigned.allSatisfy { $0.reason == .capacity || $0.reason == .fleetSize })
    }

    @Test func severalTimeWindowsAndRouteLimitsHold() throws {
        // Clients open in the morning or in the afternoon; routes are limited in duration
        // and distance, and duration is priced.
        let n = 14
        var rng = RNG(seed: 21)
        let clients = (1...n).map { i in
            Client(
                location: i, delivery: [1], serviceDuration: 20,
                timeWindows: i % 2 == 0
                    ? [Window(start: 0, end: 150), Window(start: 400, end: 500)]
                    : [Window(start: Int64(100 + rng.below(100)), end: 330)])
        }
        let data = try ProblemData(
            coordinates: Fixtures.points(n, seed: 21), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 6, capacity: [10], shift: Window(start: 0, end: 700),
                                       maxDuration: 450, maxDistance: 400, unitDurationCost: 1)])
        let s = solve(data, stop: MaxIterations(40), seed: 2, options: Fixtures.quick)
        #expect(s.isFeasible)
        #expect(Fixtures.isPartition(s, clients: n))
        for r in s.routes {
            #expect(r.duration <= 450 && r.distance <= 400 && r.endTime <= 700)
            for v in r.visits {
                let ws = data.clients[v.client].timeWindows
                #expect(ws.contains { $0.start <= v.serviceStart && v.serviceStart <= $0.end })
                #expect(v.serviceStart >= v.arrival)
            }
        }
    }

    @Test func sameSeedSameSolution() throws {
        let data = try Fixtures.vrptw(16)
        var options = SolverOptions()
        options.initialPopulation = 10
        let a = solve(data, stop: MaxIterations(15), seed: 42, options: options)
        let b = solve(data, stop: MaxIterations(15), seed: 42, options: options)
        #expect(a.cost == b.cost)
        #expect(a.routes.map(\.clients) == b.routes.map(\.clients))
    }

    @Test func cancellationStopsTheSearch() throws {
        let data = try Fixtures.cvrp(30)
        let token = CancellationToken()
        token.cancel()
        let s = solve(data, stop: Cancellation(token), seed: 1)
        #expect(s.isFeasible)
        #expect(Fixtures.isPartition(s, clients: 30))
    }
}

@Suite struct EdgeCaseTests {
    @Test func noVehiclesMeansEverythingUnassigned() throws {
        let clients = (1...3).map { Client(location: $0, delivery: [1]) }
        let data = try ProblemData(
            coordinates: Fixtures.points(3), depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 0, capacity: [10])])
        let s = solve(data, stop: MaxIterations(3), seed: 1, options: Fixtures.quick)
        #expect(s.routes.isEmpty && s.unassigned.count == 3)
        #expect(s.unassigned.allSatisfy { $0.reason == .fleetSize })
    }

    @Test func noClientsIsAnEmptySolution() throws {
        let data = try ProblemData(
            coordinates: Fixtures.points(0), depots: [Depot(location: 0)], clients: [],
            vehicleTypes: [VehicleType(count: 2, capacity: [10])])
        let s = solve(data, stop: MaxIterations(3), seed: 1)
        #expect(s.routes.isEmpty && s.unassigned.isEmpty && s.cost == 0 && s.isComplete)
    }
}
