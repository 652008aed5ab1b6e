import Foundation
import Testing

@testable import Routing

/// PyVRP's VRPLIB dialect: per-vehicle sections, grouping into vehicle types, rounding as
/// `pyvrp.read(round_func=)`, errors that name the field, and the `.sol` convention of
/// `read_solution`. Expected values are worked out by hand from the tiny files.
@Suite struct PyVRPDialectTests {
    /// Two depots, three clients, three vehicles (two alike), multi-trip and release times.
    static let rich = """
        NAME: tiny-rich
        TYPE: MTVRPTWR
        DIMENSION: 5
        VEHICLES: 3
        EDGE_WEIGHT_TYPE: EUC_2D
        SERVICE_TIME: 1.26
        NODE_COORD_SECTION
        1 0 0
        2 10 0
        3 1 1
        4 2.5 0
        5 0 3.3
        DEMAND_SECTION
        1 0
        2 0
        3 4
        4 5
        5 6
        CAPACITY_SECTION
        1 10
        2 10
        3 20
        VEHICLES_DEPOT_SECTION
        1 1
        2 1
        3 2
        VEHICLES_FIXED_COST_SECTION
        1 100.4
        2 100.4
        3 50
        VEHICLES_UNIT_DISTANCE_COST_SECTION
        1 3
        2 3
        3 1
        VEHICLES_RELOAD_DEPOT_SECTION
        1 1
        2 1
        3 2
        VEHICLES_MAX_RELOADS: 2
        VEHICLES_MAX_DURATION: 500.5
        TIME_WINDOW_SECTION
        1 0 1000
        2 5 900
        3 0 100.5
        4 10 200
        5 0 300
        RELEASE_TIME_SECTION
        1 0
        2 0
        3 0
        4 7.25
        5 0
        PRIZE_SECTION
        1 0
        2 0
        3 0
        4 0
        5 12.5
        DEPOT_SECTION
        1
        2
        -1
        EOF
        """

    @Test func readsVehiclesReloadsReleaseAndPrizes() throws {
        let p = try ProblemReader.parse(Self.rich, name: "x", rounding: .round)
        let d = p.data
        #expect(d.depots.count == 2 && d.clients.count == 3)
        #expect(p.clientLabels == [2, 3, 4])  // location indices, depots first
        #expect(d.vehicleTypes.count == 2)  // vehicles 1 and 2 are alike
        let a = d.vehicleTypes[0], b = d.vehicleTypes[1]
        #expect(a.count == 2 && a.capacity == [10] && a.startDepot == 0 && a.fixedCost == 100 && a.unitDistanceCost == 3)
        #expect(a.reloadDepots == [0] && a.maxReloads == 2 && a.maxDuration == 500)  // 500.5 rounds to even
        #expect(a.shift == Window(start: 0, end: 1000))  // depot 1's window
        #expect(b.count == 1 && b.startDepot == 1 && b.reloadDepots == [1] && b.shift == Window(start: 5, end: 900))
        #expect(p.vehicleNumbers == [[0, 1], [2]])
        #expect(d.clients[0].serviceDuration == 1 && d.clients[0].timeWindows == [Window(start: 0, end: 100)])
        #expect(d.clients[1].releaseTime == 7)
        #expect(d.clients[2].required == false && d.clients[2].prize == 12)  // 12.5 to even
        #expect(d.clients[0].required && d.clients[0].prize == 0)
        #expect(d.distance(from: 0, to: 4) == 3)  // 3.3
        #expect(d.distance(from: 0, to: 2) == 1)  // sqrt 2
    }

    @Test func roundsLikePyVRP() throws {
        // dimacs: x10 then truncate; unit costs and reload counts are never scaled.
        let dm = try ProblemReader.parse(Self.rich, name: "x", rounding: .dimacs).data
        #expect(dm.distance(from: 0, to: 2) == 14)  // 14.14...
        #expect(dm.distance(from: 0, to: 4) == 33)
        #expect(dm.clients[0].serviceDuration == 12 && dm.clients[1].releaseTime == 72)
        #expect(dm.clients[0].delivery == [40] && dm.vehicleTypes[0].capacity == [100])
        #expect(dm.vehicleTypes[0].fixedCost == 1004 && dm.vehicleTypes[0].unitDistanceCost == 3)
        #expect(dm.vehicleTypes[0].maxReloads == 2 && dm.vehicleTypes[0].maxDuration == 5005)
        #expect(dm.clients[2].prize == 125)
        // exact: x1000 then round.
        let ex = try ProblemReader.parse(Self.rich, name: "x", rounding: .exact).data
        #expect(ex.distance(from: 0, to: 2) == 1414 && ex.clients[0].serviceDuration == 1260)
        #expect(ex.clients[0].timeWindows == [Window(start: 0, end: 100_500)])
        // trunc.
        let tr = try ProblemReader.parse(Self.rich, name: "x", rounding: .trunc).data
        #expect(tr.distance(from: 0, to: 4) == 3 && tr.vehicleTypes[0].maxDuration == 500 && tr.clients[2].prize == 12)
    }

    @Test func noneRefusesFractionsNamingTheField() {
        #expect {
            try ProblemReader.parse(Self.rich, name: "x", rounding: .none)
        } throws: { e in
            "\(e)".contains("EDGE_WEIGHT") && "\(e)".contains("not an integer")
        }
    }

    @Test func badInputNamesTheField() {
        func message(_ text: String) -> String {
            do {
                _ = try ProblemReader.parse(text, name: "x")
                return ""
            } catch { return "\(error)" }
        }
        let badReload = Self.rich.replacingOccurrences(of: "VEHICLES_RELOAD_DEPOT_SECTION\n1 1", with: "VEHICLES_RELOAD_DEPOT_SECTION\n1 4")
        #expect(message(badReload).contains("VEHICLES_RELOAD_DEPOT_SECTION"))
        let badRelease = Self.rich.replacingOccurrences(of: "4 7.25", with: "4 -3")
        #expect(message(badRelease).contains("RELEASE_TIME_SECTION"))
        let missingVehicle = Self.rich.replacingOccurrences(of: "3 2\nVEHICLES_FIXED", with: "VEHICLES_FIXED")
        #expect(message(missingVehicle).contains("VEHICLES_DEPOT_SECTION"))
        let badReloads = Self.rich.replacingOccurrences(of: "VEHICLES_MAX_RELOADS: 2", with: "VEHICLES_MAX_RELOADS: -1")
        #expect(message(badReloads).contains("VEHICLES_MAX_RELOADS"))
        let lateRelease = Self.rich.replacingOccurrences(of: "4 7.25", with: "4 5000")
        #expect(message(lateRelease).contains("releaseTime"))
        #expect(message("NAME: x\nNODE_COORD_SECTION\n1 0 0\n").contains("DIMENSION"))
    }

    @Test func writesReadSolutionConvention() throws {
        let p = try ProblemReader.parse(Self.rich, name: "x", rounding: .round)
        let d = p.data
        // Vehicle 3 (type 1) makes two trips from depot 2; vehicles 1 and 2 stay home.
        func trip(_ a: Int, _ visits: Range<Int>) -> Trip {
            Trip(startDepot: 1, endDepot: 1, visits: visits, startTime: 0, endTime: 0, startLoad: [0], endLoad: [0], distance: 0)
        }
        let route = Route(
            vehicleType: 1, vehicle: 0, clients: [0, 1, 2], visits: [], startTime: 0, endTime: 0, startLoad: [0],
            distance: 0, duration: 0, cost: 0, trips: [trip(1, 0..<1), trip(1, 1..<3)])
        let sol = Solution(
            routes: [route], unassigned: [], cost: 42, distance: 0, duration: 0, prizesLost: 0, isFeasible: true,
            isComplete: true, iterations: 0, runtime: 0)
        let text = SolutionWriter.vrplib(sol, problem: p)
        #expect(text == "Route #1: \nRoute #2: \nRoute #3: 2 1 3 4\nCost 42\n")
        _ = d
    }

    @Test func cvrplibStaysAsBefore() throws {
        let text = """
            NAME : c
            DIMENSION : 3
            EDGE_WEIGHT_TYPE : EUC_2D
            CAPACITY : 10
            NODE_COORD_SECTION
            1 0 0
            2 3 4
            3 1 1
            DEMAND_SECTION
            1 0
            2 3
            3 4
            DEPOT_SECTION
            1
            -1
            EOF
            """
        let p = try ProblemReader.parse(text, name: "c")
        #expect(p.data.vehicleTypes.count == 1 && p.data.vehicleTypes[0].count == 2)
        #expect(p.data.distance(from: 0, to: 2) == 1 && p.data.distance(from: 0, to: 1) == 5)
        let sol = solve(p.data, stop: MaxIterations(20), seed: 1, options: Fixtures.quick)
        let out = SolutionWriter.vrplib(sol, problem: p)
        #expect(out.hasPrefix("Route #1: ") && !out.contains("Route #1: \n") && out.hasSuffix("Cost \(sol.cost)\n"))
    }
}
