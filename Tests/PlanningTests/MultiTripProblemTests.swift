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

    static func input(_ shipments: [PlanInput.Shipment], maxTrips: [Int], loadingSeconds: Int64 = 0) -> PlanInput {
        PlanInput(
            depot: .init(id: 1, code: "D", name: "Depot", location: depot, loadingSeconds: loadingSeconds), date: "2026-12-02",
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

    /// Loading takes the depot's time before each trip, the first and every reload: each
    /// trip's first stop is reached its loading time later than without it, and the
    /// line-haul's parcels are loaded after they arrive, not before.
    @Test func eachTripLoadsAtTheDepotBeforeItLeaves() throws {
        let many = (1...40).map { k in
            PlanInput.Shipment(id: Int64(k), orderId: Int64(k), pickupPointId: 7, address: "", location: Self.point.location,
                               grams: 40_000, cm3: 10_000, parcels: 1, coldChain: false, releaseSeconds: k > 20 ? 36_000 : 0,
                               onLineHaul: k > 20)
        }
        func plan(loadingMinutes: Int64) throws -> PlanView {
            let problem = try Self.problem(Self.input(many, maxTrips: [3], loadingSeconds: loadingMinutes * 60))
            let solution = Routing.solve(try #require(problem.data), stop: MaxIterations(200), seed: 1)
            return PlanViewBuilder.build(problem: problem, solution: solution, settings: PlanSettings())
        }
        let quick = try plan(loadingMinutes: 0), loaded = try plan(loadingMinutes: 30)
        #expect(quick.loadingMinutes == nil && loaded.loadingMinutes == 30)
        let before = try #require(quick.routes.first), after = try #require(loaded.routes.first)
        let tripsBefore = try #require(before.trips), tripsAfter = try #require(after.trips)
        #expect(tripsBefore.count == 2 && tripsAfter.count == 2)
        // The same visits; each first stop 30 minutes later after the same start.
        for t in 0..<2 {
            let drive = try Self.minutes(before.stops[t].arrival) - Self.minutes(tripsBefore[t].start)
            let driveAndLoad = try Self.minutes(after.stops[t].arrival) - Self.minutes(tripsAfter[t].start)
            #expect(driveAndLoad == drive + 30, "trip \(t + 1): \(drive) min without loading, \(driveAndLoad) with 30 min")
        }
        // The truck's parcels arrive at 10:00: their trip starts loading then at the earliest.
        #expect(tripsAfter[1].start >= "10:00")
        #expect(try Self.minutes(after.stops[1].arrival) >= 10 * 60 + 30)
        #expect(PlanMap.html(loaded).contains("loads 30 min, leaves"))
    }

    static func minutes(_ hhmm: String) throws -> Int {
        let parts = hhmm.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { throw DomainError.internalError("bad clock \(hhmm)") }
        return parts[0] * 60 + parts[1]
    }
}
