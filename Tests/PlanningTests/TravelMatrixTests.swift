import Testing

import RuralPostCore
@testable import Logistics
@testable import Planning

/// Locations a road network cannot serve are reported with their reason and never
/// reach the solver; great-circle travel is what it was before road networks.
@Suite struct TravelMatrixTests {
    static func input(homes: [GeoPoint]) -> PlanInput {
        PlanInput(
            depot: .init(id: 1, code: "D", name: "Depot", location: GeoPoint(lat: 28.6, lon: 109.9)), date: "2026-11-23",
            vehicles: [.init(id: 1, code: "VAN-1", kind: "van", capacityGrams: 900_000, capacityCm3: 5_000_000, shiftStart: 7 * 3600,
                             shiftEnd: 18 * 3600, fixedCostFen: 100, perKmFen: 100, refrigerated: false, maxTrips: 1)],
            shipments: homes.enumerated().map { k, p in
                .init(id: Int64(k + 1), orderId: Int64(k + 1), pickupPointId: nil, address: "home \(k + 1)", location: p, grams: 1000,
                      cm3: 1000, parcels: 1, coldChain: false, releaseSeconds: 0, onLineHaul: false)
            },
            points: [:], collections: [])
    }

    @Test func unreachableAndOffRoadStopsAreExcludedWithTheirReason() throws {
        let homes = [GeoPoint(lat: 28.61, lon: 109.9), GeoPoint(lat: 28.62, lon: 109.9), GeoPoint(lat: 28.63, lon: 109.9),
                     GeoPoint(lat: 28.64, lon: 109.9)]
        let input = Self.input(homes: homes)
        let settings = PlanSettings()
        let (candidates, excluded) = PlanProblem.candidates(input: input, settings: settings)
        #expect(candidates.count == 4 && excluded.isEmpty)
        let n = 5
        // Road metres: home:2 has no way back to the depot (a one-way trap), home:3 is on an
        // island, home:4 was too far from any road to snap.
        var metres = [Int64](repeating: 1000, count: n * n)
        for i in 0..<n { metres[i * n + i] = 0 }
        metres[2 * n + 0] = -1
        metres[2 * n + 1] = -1
        for j in 0..<n where j != 3 { metres[3 * n + j] = -1; metres[j * n + 3] = -1 }
        for j in 0..<n where j != 4 { metres[4 * n + j] = -1; metres[j * n + 4] = -1 }
        var travel = TravelMatrix(count: n, locations: [input.depot.location] + homes, distances: metres, durations: metres,
                                  travel: PlanView.Travel(source: "roadNetwork"))
        travel.problems[4] = .offRoad
        travel.findProblems()
        #expect(travel.problems == [2: .unreachable, 3: .unreachable, 4: .offRoad])

        let problem = try PlanProblem(input: input, candidates: candidates, excluded: excluded, travel: travel, settings: settings)
        #expect(problem.stops.map(\.place.code) == ["home:1"])
        #expect(problem.locationOfStop == [1])
        #expect(Dictionary(uniqueKeysWithValues: problem.excluded.map { ($0.stop.place.code, $0.reason) })
                == ["home:2": .unreachable, "home:3": .unreachable, "home:4": .offRoad])
        let data = try #require(problem.data)
        #expect(data.locationCount == 2)

        let view = PlanViewBuilder.build(problem: problem, solution: nil, settings: settings)
        #expect(Set(view.unassigned.map(\.reason)) == [.unreachable, .offRoad])
        #expect(view.travel?.source == "roadNetwork")
    }

    @Test func greatCircleIsTheEstimateOfOldAndSaysWhy() {
        let depot = GeoPoint(lat: 28.6, lon: 109.9), far = GeoPoint(lat: 28.7, lon: 109.9)
        let m = TravelMatrix.greatCircle(locations: [depot, far], settings: PlanSettings(), reason: "no road network has been imported")
        let metres = depot.distanceKm(to: far) * 1.35 * 1000
        #expect(m.distance(0, 1) == Int64(metres.rounded()))
        #expect(m.duration(0, 1) == Int64((metres / (38 / 3.6)).rounded()))
        #expect(m.travel.source == "greatCircle" && m.travel.reason == "no road network has been imported")
        #expect(m.problems.isEmpty)
    }
}
