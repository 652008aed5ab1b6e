import Logistics
import Routing
import RuralPostCore

/// Turns the solver's solution back into routes of stops, shipments and collections.
enum PlanViewBuilder {
    static func build(problem: PlanProblem, solution: Solution?, settings: PlanSettings) -> PlanView {
        let input = problem.input
        var routes: [PlanView.Route] = []
        for (index, route) in (solution?.routes ?? []).enumerated() {
            let vehicle = input.vehicles[route.vehicleType]
            // Trip of each visit (1-based); a trip leaves the depot and comes back to it.
            var tripOfVisit = [Int](repeating: 1, count: route.visits.count)
            for (t, trip) in route.trips.enumerated() {
                for position in trip.visits { tripOfVisit[position] = t + 1 }
            }
            // Travel-matrix location of each stop in driving order; a trip's first stop is
            // reached from the depot, and the depot is visited again between trips.
            let sequence = route.visits.map { problem.locationOfStop[$0.client] }
            let startsTrip = route.visits.indices.map { $0 == 0 || tripOfVisit[$0] != tripOfVisit[$0 - 1] }
            let endsTrip = route.visits.indices.map { $0 == route.visits.count - 1 || tripOfVisit[$0] != tripOfVisit[$0 + 1] }
            let depot = input.depot.location
            func crowFly(_ a: GeoPoint, _ b: GeoPoint) -> Int64 { Int64((a.distanceKm(to: b) * 1000).rounded()) }
            let stops = route.visits.enumerated().map { seq, visit in
                let stop = problem.stops[visit.client]
                let from = startsTrip[seq] ? 0 : sequence[seq - 1]
                let previous = startsTrip[seq] ? depot : problem.stops[route.visits[seq - 1].client].location
                return PlanView.Stop(
                    seq: seq + 1, kind: stop.kind, place: stop.place, arrival: ClockTime.hhmm(visit.arrival),
                    serviceStart: ClockTime.hhmm(visit.serviceStart), departure: ClockTime.hhmm(visit.departure),
                    windows: Self.windows(stop),
                    deliveryGrams: stop.deliveryGrams, deliveryCm3: stop.deliveryCm3, pickupGrams: stop.pickupGrams,
                    pickupCm3: stop.pickupCm3, parcels: stop.parcels, loadAfterGrams: visit.loadAfter[0],
                    loadAfterCm3: visit.loadAfter.count > 1 ? visit.loadAfter[1] : 0,
                    shipments: stop.shipments.map(\.id), collections: stop.collections.map(\.id),
                    legDistanceM: problem.travel.distance(from, sequence[seq]), legCrowFlyM: crowFly(previous, stop.location),
                    trip: tripOfVisit[seq], readyAt: stop.release > 0 ? ClockTime.hhmm(stop.release) : nil)
            }
            // Legs back to the depot: the end of every trip.
            let returnsCrowFly = route.visits.indices.filter { endsTrip[$0] }
                .map { crowFly(problem.stops[route.visits[$0].client].location, depot) }
            let trips = route.trips.enumerated().map { t, trip in
                PlanView.Trip(seq: t + 1, start: ClockTime.hhmm(trip.startTime), end: ClockTime.hhmm(trip.endTime),
                              startLoadGrams: trip.startLoad[0], startLoadCm3: trip.startLoad.count > 1 ? trip.startLoad[1] : 0,
                              endLoadGrams: trip.endLoad[0], distanceM: trip.distance, stops: trip.visits.count)
            }
            routes.append(PlanView.Route(
                seq: index + 1, vehicle: vehicle.code, vehicleKind: vehicle.kind, refrigerated: vehicle.refrigerated,
                capacityGrams: vehicle.capacityGrams, capacityCm3: vehicle.capacityCm3,
                shift: "\(ClockTime.hhmm(vehicle.shiftStart))-\(ClockTime.hhmm(vehicle.shiftEnd))",
                start: ClockTime.hhmm(route.startTime), end: ClockTime.hhmm(route.endTime), startLoadGrams: route.startLoad[0],
                distanceM: route.distance, durationS: route.duration,
                costFen: (route.cost + PlanProblem.costScale / 2) / PlanProblem.costScale, stops: stops,
                returnDistanceM: sequence.last.map { problem.travel.distance($0, 0) },
                crowFlyM: stops.reduce(0) { $0 + ($1.legCrowFlyM ?? 0) } + returnsCrowFly.reduce(0, +),
                trips: trips, maxTrips: vehicle.maxTrips))
        }
        var unassigned: [PlanView.Unassigned] = problem.excluded.map { item in
            PlanView.Unassigned(kind: item.stop.kind, place: item.stop.place, parcels: item.stop.parcels, grams: item.stop.deliveryGrams,
                                reason: item.reason, shipments: item.stop.shipments.map(\.id), collections: item.stop.collections.map(\.id),
                                windows: Self.windows(item.stop))
        }
        let noVehicle = problem.data == nil && !problem.stops.isEmpty
        if noVehicle {
            for stop in problem.stops {
                unassigned.append(.init(kind: stop.kind, place: stop.place, parcels: stop.parcels, grams: stop.deliveryGrams,
                                        reason: .noVehicle, shipments: stop.shipments.map(\.id), collections: stop.collections.map(\.id),
                                        windows: Self.windows(stop)))
            }
        }
        for item in solution?.unassigned ?? [] {
            let stop = problem.stops[item.client]
            unassigned.append(.init(kind: stop.kind, place: stop.place, parcels: stop.parcels, grams: stop.deliveryGrams,
                                    reason: UnplannedReason(item.reason), shipments: stop.shipments.map(\.id),
                                    collections: stop.collections.map(\.id), windows: Self.windows(stop)))
        }
        let totals = PlanView.Totals(
            routes: routes.count, stops: routes.reduce(0) { $0 + $1.stops.count },
            parcels: routes.reduce(0) { $0 + $1.stops.reduce(0) { $0 + $1.parcels } },
            distanceM: routes.reduce(0) { $0 + $1.distanceM }, costFen: routes.reduce(0) { $0 + $1.costFen },
            unassignedStops: unassigned.count, parcelsWaiting: unassigned.reduce(0) { $0 + $1.parcels },
            crowFlyM: routes.reduce(0) { $0 + ($1.crowFlyM ?? 0) }, trips: routes.reduce(0) { $0 + $1.tripCount })
        return PlanView(
            planId: nil, depot: PlanView.Place(code: input.depot.code, name: input.depot.name, lat: input.depot.location.lat,
                                               lon: input.depot.location.lon),
            date: input.date, seed: settings.seed, timeLimitSeconds: settings.timeLimitSeconds,
            solverSeconds: solution?.runtime ?? 0, routes: routes, unassigned: unassigned, totals: totals,
            travel: problem.travel.travel, loadingMinutes: input.depot.loadingSeconds > 0 ? Int(input.depot.loadingSeconds / 60) : nil)
    }
}

extension PlanViewBuilder {
    /// Opening intervals as `HH:MM-HH:MM`.
    static func windows(_ stop: PlanProblem.Stop) -> [String] {
        stop.windows.map { "\(ClockTime.hhmm($0.lowerBound))-\(ClockTime.hhmm($0.upperBound))" }
    }
}

extension UnplannedReason {
    /// The plan's word for the solver's reason.
    init(_ reason: UnassignedReason) {
        switch reason {
        case .capacity: self = .capacity
        case .timeWindow: self = .timeWindow
        case .skills: self = .skills
        case .maxDuration: self = .maxDuration
        case .maxDistance: self = .maxDistance
        case .fleetSize: self = .fleetSize
        case .notProfitable: self = .notProfitable
        }
    }
}
