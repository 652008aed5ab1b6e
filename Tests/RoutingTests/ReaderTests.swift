import Testing
@testable import Routing

/// File formats: VRPLIB (coordinates and explicit matrices, pickups), Solomon, JSON,
/// and the VRPLIB solution writer.
@Suite struct ReaderTests {
    @Test func readsVRPLIBWithPickups() throws {
        let text = """
            NAME : tiny
            TYPE : VRPSPD
            DIMENSION : 4
            EDGE_WEIGHT_TYPE : EUC_2D
            CAPACITY : 10
            NODE_COORD_SECTION
            1 0 0
            2 3 4
            3 6 8
            4 0 5
            DEMAND_SECTION
            1 0
            2 3
            3 4
            4 2
            PICKUP_SECTION
            1 0
            2 1
            3 0
            4 5
            DEPOT_SECTION
            1
            -1
            EOF
            """
        let p = try ProblemReader.parse(text, name: "x")
        #expect(p.format == .vrplib && p.name == "tiny")
        #expect(p.data.clients.count == 3)
        #expect(p.data.distance(from: 0, to: 1) == 5)
        #expect(p.data.clients[2].pickup == [5])
        #expect(p.clientLabels == [1, 2, 3])
        #expect(p.data.vehicleTypes[0].count == 3)  // unlimited fleet: one per client
        let s = solve(p.data, stop: MaxIterations(5), seed: 1, options: Fixtures.quick)
        let out = SolutionWriter.vrplib(s, problem: p)
        #expect(out.hasPrefix("Route #1:"))
        #expect(out.contains("Cost \(s.cost)"))
    }

    @Test func readsExplicitLowerRowMatrix() throws {
        let text = """
            NAME : m
            DIMENSION : 3
            EDGE_WEIGHT_TYPE : EXPLICIT
            EDGE_WEIGHT_FORMAT : LOWER_ROW
            CAPACITY : 5
            VEHICLES : 2
            EDGE_WEIGHT_SECTION
            7
            8 9
            DEMAND_SECTION
            1 0
            2 1
            3 1
            DEPOT_SECTION
            1
            -1
            """
        let p = try ProblemReader.parse(text, name: "m")
        #expect(p.data.distance(from: 1, to: 0) == 7 && p.data.distance(from: 0, to: 2) == 8)
        #expect(p.data.distance(from: 2, to: 1) == 9)
        #expect(p.data.vehicleTypes[0].count == 2)
    }

    @Test func readsSolomonAndReportsDoubleCost() throws {
        let text = """
            T1

            VEHICLE
            NUMBER     CAPACITY
              2         50

            CUSTOMER
            CUST NO.   XCOORD.   YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME

                0          0      0           0       0         200           0
                1          1      1          10       0          50          10
                2          2      0          10      20          80          10
            """
        let p = try ProblemReader.parse(text, name: "t")
        #expect(p.format == .solomon)
        #expect(p.data.vehicleTypes[0].count == 2)
        let s = solve(p.data, stop: MaxIterations(5), seed: 1, options: Fixtures.quick)
        #expect(s.isComplete)
        let expected = (2.0).squareRoot() * 2 + 2  // 0 -> 1 -> 2 -> 0
        #expect(abs(p.reportedCost(s) - (expected * 100).rounded() / 100) < 1e-9)
    }

    @Test func readsJSONProblem() throws {
        let text = """
            {"name": "j", "locations": [{"x":0,"y":0},{"x":3,"y":4},{"x":6,"y":8}],
             "depots": [{"location": 0}],
             "clients": [{"location": 1, "delivery": [2, 1], "timeWindows": [[0, 100]], "skills": ["cold"]},
                         {"location": 2, "pickup": [3], "required": false, "prize": 50}],
             "vehicleTypes": [{"count": 1, "capacity": [5, 5], "skills": ["cold"], "shift": [0, 500]}]}
            """
        let p = try ProblemReader.parse(text, name: "j")
        #expect(p.format == .json && p.data.dimensions == 2)
        #expect(p.data.clients[0].skills == ["cold"] && !p.data.clients[1].required)
        let s = solve(p.data, stop: MaxIterations(5), seed: 1, options: Fixtures.quick)
        #expect(s.isFeasible && s.isComplete)
    }

    @Test func rejectsGarbage() {
        #expect(throws: ProblemError.self) { try ProblemReader.parse("hello world", name: "g") }
        #expect(throws: ProblemError.self) { try ProblemReader.parse("{\"depots\": []}", name: "g") }
    }
}
