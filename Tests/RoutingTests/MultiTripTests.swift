import Foundation
import Testing

@testable import Routing

/// Multi-trip routes: reload depots, reload limits, release times. Move deltas are checked
/// against `TripOracle`, a plain forward simulation written for the tests (brute force
/// over start times), not the search's segment algebra.
@Suite struct MultiTripTests {
    /// A plain, slow route pricer: distance, overload per trip, and the least time warp
    /// over every start time (waiting allowed, a trip leaves its depot no earlier than the
    /// latest release time of its clients, lateness is warped back to the window's end).
    struct TripOracle {
        let data: ProblemData
        let pen: (load: Int64, warp: Int64)

        /// `nodes`: the solver's node ids (depots first, then clients) without the start
        /// and end depots; depot ids inside are reloads.
        func cost(vt: Int, nodes: [Int]) -> Int64 {
            let nd = data.depots.count
            if !nodes.contains(where: { $0 >= nd }) { return 0 }
            let type = data.vehicleTypes[vt]
            func loc(_ v: Int) -> Int { v < nd ? data.depots[v].location : data.clients[v - nd].location }
            let path = [type.startDepot] + nodes + [type.endDepot]
            var dist: Int64 = 0
            for k in 1..<path.count { dist += data.distance(from: loc(path[k - 1]), to: loc(path[k])) }
            // Trips and their loads and releases.
            var trips: [[Int]] = [[]]
            for v in nodes { if v < nd { trips.append([]) } else { trips[trips.count - 1].append(v) } }
            var excess: Int64 = 0
            for t in trips {
                let load = t.reduce(Int64(0)) { $0 + (data.clients[$1 - nd].delivery.first ?? 0) }
                excess += max(0, load - type.capacity[0])
            }
            let release = trips.map { $0.map { data.clients[$0 - nd].releaseTime }.max() ?? 0 }
            var bestWarp = Int64.max
            let horizon = min(type.shift.end, 2_000)
            for s in type.shift.start...max(type.shift.start, horizon) {
                var time = max(s, release[0]), warp: Int64 = 0, trip = 0
                for k in 1..<path.count {
                    let v = path[k]
                    time += data.duration(from: loc(path[k - 1]), to: loc(v))
                    if v < nd {
                        if k == path.count - 1 {
                            warp += max(0, time - type.shift.end)
                        } else {
                            trip += 1
                            time = max(time, release[trip])
                        }
                        continue
                    }
                    let c = data.clients[v - nd]
                    if let w = c.timeWindows.first {
                        if time < w.start { time = w.start }
                        if time > w.end { warp += time - w.end; time = w.end }
                    }
                    time += c.serviceDuration
                }
                bestWarp = min(bestWarp, warp)
            }
            return type.fixedCost + type.unitDistanceCost * dist + pen.load * excess + pen.warp * bestWarp
        }
    }

    /// One depot, eight clients of demand 4 on a small grid, time windows, release times;
    /// two vehicles of capacity 10 that may reload at the depot.
    static func instance(maxReloads: Int? = nil, vehicles: Int = 2) throws -> ProblemData {
        let pts: [(x: Double, y: Double)] = [(0, 0), (3, 0), (6, 0), (6, 4), (3, 4), (0, 4), (-3, 2), (-6, 2), (0, -5)]
        var clients: [Client] = []
        for i in 1..<pts.count {
            clients.append(Client(
                location: i, delivery: [4], serviceDuration: 2,
                timeWindows: [Window(start: Int64(i * 5), end: Int64(30 + i * 12))],
                releaseTime: i % 3 == 0 ? 20 : 0))
        }
        return try ProblemData(
            coordinates: pts, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: vehicles, capacity: [10], shift: Window(start: 0, end: 400), fixedCost: 50,
                                       reloadDepots: [0], maxReloads: maxReloads)])
    }

    @Test func reloadMovesMatchTheOracle() throws {
        let data = try Self.instance()
        let inst = Instance(data)
        let oracle = TripOracle(data: data, pen: (10, 3))
        let ls = LocalSearch(inst, seed: 3)
        ls.pen = Penalties(load: 10, timeWarp: 3, distance: 1)
        var rng = RNG(seed: 11)
        var checked = 0
        for _ in 0..<40 {
            // Random routes, random reloads.
            var clients = Array(1...8)
            clients.shuffle(using: &rng)
            let cut = 1 + rng.below(7)
            var a = Array(clients[..<cut]), b = Array(clients[cut...])
            if a.count > 2 { a.insert(0, at: 1 + rng.below(a.count - 1)) }
            if b.count > 2 { b.insert(0, at: 1 + rng.below(b.count - 1)) }
            ls.load([a, b])
            func total() -> Int64 { (0..<2).map { oracle.cost(vt: 0, nodes: ls.export()[$0]) }.reduce(0, +) }
            let before = total()
            #expect(ls.routes[0].cost + ls.routes[1].cost == before)
            for r in 0..<2 {
                let R = ls.routes[r]
                for p in 1..<R.last {
                    let nodes = Array(R.nodes[1..<R.last])
                    if R.nodes[p] == 0 {
                        let d = ls.evaluateRemoveReload(r, p)
                        var after = nodes
                        after.remove(at: p - 1)
                        #expect(d == oracle.cost(vt: 0, nodes: after) - oracle.cost(vt: 0, nodes: nodes))
                        checked += 1
                    } else {
                        let d = ls.evaluateAddReload(r, p, depot: 0)
                        if d == .max { continue }
                        var after = nodes
                        after.insert(0, at: p - 1)
                        #expect(d == oracle.cost(vt: 0, nodes: after) - oracle.cost(vt: 0, nodes: nodes))
                        checked += 1
                    }
                }
            }
            // Exchanges and tail swaps across trips and routes (only unpruned ones are exact).
            for u in 1...8 {
                for v in 1...8 where u != v {
                    let ru = ls.routeOf[u], rv = ls.routeOf[v], pu = ls.posOf[u], pv = ls.posOf[v]
                    for (n, m) in [(1, 0), (1, 1), (2, 0), (2, 1)] {
                        let d = ls.evaluateExchange(n, m, ru, pu, rv, pv)
                        if d == .max { continue }
                        let saved = ls.export()
                        ls.applyExchange(n, m, ru, pu, rv, pv)
                        // The search drops reloads that no longer start a trip; so does the oracle's input.
                        #expect(d == total() - before, "exchange(\(n),\(m)) \(saved) -> \(ls.export())")
                        checked += 1
                        ls.load(saved)
                    }
                    if ru != rv {
                        let d = ls.evaluateSwapTails(ru, pu, rv, pv)
                        if d != .max {
                            let saved = ls.export()
                            ls.applySwapTails(ru, pu, rv, pv)
                            #expect(d == total() - before, "swapTails \(saved) -> \(ls.export())")
                            checked += 1
                            ls.load(saved)
                        }
                    }
                }
            }
        }
        #expect(checked > 300)
    }

    @Test func oneVehicleMakesThreeTrips() throws {
        // Six clients of demand 4, capacity 10: at least three trips for the one vehicle.
        let pts: [(x: Double, y: Double)] = [(0, 0), (5, 0), (5, 1), (0, 5), (1, 5), (-5, 0), (-5, -1)]
        let clients = (1...6).map { Client(location: $0, delivery: [4], serviceDuration: 1) }
        let data = try ProblemData(
            coordinates: pts, depots: [Depot(location: 0)], clients: clients,
            vehicleTypes: [VehicleType(count: 1, capacity: [10], shift: Window(start: 0, end: 500), reloadDepots: [0])])
        let sol = solve(data, stop: MaxIterations(300), seed: 1, options: Fixtures.quick)
        #expect(sol.isFeasible && sol.isComplete && sol.routes.count == 1)
        let route = sol.routes[0]
        #expect(route.trips.count == 3 && route.reloads == 2)
        for t in route.trips {
            let load = route.clients[t.visits].reduce(Int64(0)) { $0 + data.clients[$1].delivery[0] }
            #expect(load <= 10 && t.startLoad == [load])
        }
        #expect(Set(route.clients) == Set(0..<6))
        // Cost: distance of the whole path, depot visits included (Euclidean, rounded).
        var prev = 0, dist: Int64 = 0
        for (i, t) in route.trips.enumerated() {
            if i > 0 { prev = 0 }
            for c in route.clients[t.visits] {
                dist += data.distance(from: prev, to: data.clients[c].location)
                prev = data.clients[c].location
            }
            dist += data.distance(from: prev, to: 0)
        }
        #expect(sol.cost == dist && route.distance == dist)
    }

    @Test func releaseTimesHoldOnEveryTrip() throws {
        let data = try Self.instance()
        let sol = solve(data, stop: MaxIterations(400), seed: 2, options: Fixtures.quick)
        #expect(sol.isFeasible && sol.isComplete)
        let oracle = TripOracle(data: data, pen: (1_000, 1_000))
        var total: Int64 = 0
        for r in sol.routes {
            var nodes: [Int] = []
            for (i, t) in r.trips.enumerated() {
                if i > 0 { nodes.append(0) }
                nodes += r.clients[t.visits].map { $0 + 1 }
                let release = r.clients[t.visits].map { data.clients[$0].releaseTime }.max() ?? 0
                #expect(t.startTime >= release)
                for k in t.visits {
                    let v = r.visits[k], w = data.clients[v.client].timeWindows[0]
                    #expect(v.serviceStart >= w.start && v.serviceStart <= w.end && v.arrival >= t.startTime)
                }
                if i > 0 { #expect(t.startTime >= r.trips[i - 1].endTime) }
            }
            total += oracle.cost(vt: r.vehicleType, nodes: nodes)
        }
        #expect(total == sol.cost)  // feasible: the oracle adds no penalty
    }

    @Test func reloadLimitHolds() throws {
        // One vehicle, one reload at most: two trips of two clients; four clients stay out.
        let data = try Self.instance(maxReloads: 1, vehicles: 1)
        let sol = solve(data, stop: MaxIterations(300), seed: 1, options: Fixtures.quick)
        #expect(sol.isFeasible)
        #expect(sol.routes.allSatisfy { $0.reloads <= 1 })
        #expect(sol.routes.flatMap(\.clients).count <= 4)
        #expect(!sol.isComplete && sol.unassigned.count >= 4)
    }

    @Test func jsonCarriesReloadsAndReleaseTimes() throws {
        let text = """
            {"locations": [{"x": 0, "y": 0}, {"x": 3, "y": 4}, {"x": 6, "y": 8}],
             "depots": [{"location": 0}],
             "clients": [{"location": 1, "delivery": [6], "releaseTime": 30}, {"location": 2, "delivery": [6]}],
             "vehicleTypes": [{"count": 1, "capacity": [10], "reloadDepots": [0], "maxReloads": 2, "shift": [0, 1000]}]}
            """
        let p = try ProblemReader.parse(text, name: "j")
        #expect(p.data.clients[0].releaseTime == 30 && p.data.vehicleTypes[0].reloadDepots == [0])
        #expect(p.data.vehicleTypes[0].maxReloads == 2)
        let sol = solve(p.data, stop: MaxIterations(100), seed: 1, options: Fixtures.quick)
        #expect(sol.isFeasible && sol.isComplete && sol.routes.count == 1 && sol.routes[0].trips.count == 2)
        let out = SolutionWriter.json(sol, problem: p)
        #expect(out.contains("\"trips\"") && out.contains("\"startLoad\":[6]"))
        let bad = text.replacingOccurrences(of: "\"reloadDepots\": [0]", with: "\"reloadDepots\": [3]")
        #expect {
            try ProblemReader.parse(bad, name: "j")
        } throws: { "\($0)".contains("vehicleTypes[0].reloadDepots") }
        let late = text.replacingOccurrences(of: "\"releaseTime\": 30", with: "\"releaseTime\": 5000")
        #expect {
            try ProblemReader.parse(late, name: "j")
        } throws: { "\($0)".contains("clients[0].releaseTime") }
    }
}
