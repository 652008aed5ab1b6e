import Routing
import Testing

import RuralPostCore
@testable import Logistics
@testable import Planning

/// How a depot's day becomes a multi-trip problem: vans reload at the depot up to their
/// trip limit, line-haul parcels get their release time and their own visit, and what
/// arrives after every shift waits for tomorrow.
@Suite struct MultiTripProblemTests {
    static let depot = GeoPoint(lat: 28.6, lon: 109.9)
    static let point = PlanInput.Point(id: 7, code: "PP-7", name: "Village station", location: GeoPoint(lat: 28.65, lon: 109.95),
                                       windows: [8 * 3600...18 * 3600], freeSlots: 50)

    static func shipment(_ id: Int64, release: Int64, cold: Bool = false) -> PlanInput.Shipment {
        .init(id: id, orderId: id, pickupPointId: 7, address: "", location: point.location, grams: 5_000, cm3: 5_000, parcels: 1,
              coldChain: cold, releaseSeconds: release, onLineHaul: release > 0)
    }

    static func input(_ shipments: [PlanInput.Shipment], maxTrips: [Int]) -> PlanInput {
        PlanInput(
            depot: .init(id: 1, code: "D", name: "Depot", location: depot), date: "2026-12-02",
            vehicles: maxTrips.enumerated().map { k, trips in
                .init(id: Int64(k + 1), code: "VAN-\(k + 1)", kind: "van", capacityGrams: 900_000, capacityCm3: 5_000_000,
                      shiftStart: 7 * 3600, shiftEnd: 18 * 3600, fixedCostFen: 100, perKmFen: 100, refrigerated: true, maxTrips: trips)
            },
            shipments: shipments, points: [7: point], collections: [.init(id: 1, pickupPointId: 7, grams: 20_000, cm3: 30_000)])
    }

    static func problem(_ input: PlanInput) throws -> PlanProblem {
        let (candidates, excluded) = PlanProblem.candidates(input: input, settings: PlanSettings())
        let travel = TravelMatrix.greatCircle(locations: [input.depot.location] + candidates.map(\.location), settings: PlanSettings(), reason: "test")
        return try PlanProblem(input: input, candidates: candidates, excluded: excluded, travel: travel, settings: PlanSettings())
    }

    @Test func parcelsOfTheLineHaulAreTheirOwnVisitReleasedOnArrival() throws {
        let input = Self.input([Self.shipment(1, release: 0), Self.shipment(2, release: 10 * 3600 + 1800),
                                Self.shipment(3, release: 10 * 3600 + 1800), Self.shipment(4, release: 19 * 3600)], maxTrips: [3])
        let problem = try Self.problem(input)
        let data = try #require(problem.data)
        // Early parcels and produce on one visit, the 10:30 truck's on another.
        #expect(problem.stops.map { $0.shipments.map(\.id) } == [[1], [2, 3]])
        #expect(problem.stops[0].collections.map(\.id) == [1] && problem.stops[1].collections.isEmpty)
        #expect(data.clients.map(\.releaseTime) == [0, 10 * 3600 + 1800])
        // After every shift (18:00): not planned today, with its reason.
        #expect(problem.excluded.map(\.reason) == [.lateArrival])
        #expect(problem.excluded.flatMap { $0.stop.shipments.map(\.id) } == [4])
    }

    @Test func vansReloadAtTheDepotUpToTheirTripLimit() throws {
        let problem = try Self.problem(Self.input([Self.shipment(1, release: 0)], maxTrips: [3, 1]))
        let types = try #require(problem.data).vehicleTypes
        #expect(types[0].reloadDepots == [0] && types[0].maxReloads == 2)
        #expect(types[1].reloadDepots.isEmpty)
    }

    @Test func theSolvedPlanShowsEachTrip() throws {
        // Two loads for one van: 40 parcels of 40 kg, 900 kg capacity.
        let many = (1...40).map { k in
            PlanInput.Shipment(id: Int64(k), orderId: Int64(k), pickupPointId: 7, address: "", location: Self.point.location,
                               grams: 40_000, cm3: 10_000, parcels: 1, coldChain: false, releaseSeconds: k > 20 ? 36_000 : 0,
                               onLineHaul: k > 20)
        }
        let problem = try Self.problem(Self.input(many, maxTrips: [3]))
        let solution = Routing.solve(try #require(problem.data), stop: MaxIterations(200), seed: 1)
        let view = PlanViewBuilder.build(problem: problem, solution: solution, settings: PlanSettings())
        let route = try #require(view.routes.first)
        #expect(view.totals.parcelsWaiting == 0)
        #expect(route.tripCount == 2)
        let trips = try #require(route.trips)
        #expect(trips[1].start >= "10:00" && trips[0].end <= trips[1].start)
        #expect(trips.allSatisfy { $0.startLoadGrams <= 900_000 })
        #expect(route.stops.map(\.trip) == [1, 2])
        #expect(route.stops[1].readyAt == "10:00" && route.stops[0].readyAt == nil)
        // Leg distances: each trip starts from the depot.
        #expect(route.stops[0].legDistanceM == route.stops[1].legDistanceM)
        #expect(route.drivenPlaces(depot: view.depot).map(\.code) == ["D", "PP-7", "D", "PP-7", "D"])
    }
}
