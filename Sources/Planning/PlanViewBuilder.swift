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
            // Travel-matrix location of each stop in driving order, and the leg lengths.
            let sequence = route.visits.map { problem.locationOfStop[$0.client] }
            let places = [input.depot.location] + route.visits.map { problem.stops[$0.client].location } + [input.depot.location]
            let crowFly = zip(places, places.dropFirst()).map { Int64(($0.distanceKm(to: $1) * 1000).rounded()) }
            let stops = route.visits.enumerated().map { seq, visit in
                let stop = problem.stops[visit.client]
                let from = seq == 0 ? 0 : sequence[seq - 1]
                return PlanView.Stop(
                    seq: seq + 1, kind: stop.kind, place: stop.place, arrival: ClockTime.hhmm(visit.arrival),
                    serviceStart: ClockTime.hhmm(visit.serviceStart), departure: ClockTime.hhmm(visit.departure),
                    windows: stop.windows.map { "\(ClockTime.hhmm($0.lowerBound))-\(ClockTime.hhmm($0.upperBound))" },
                    deliveryGrams: stop.deliveryGrams, deliveryCm3: stop.deliveryCm3, pickupGrams: stop.pickupGrams,
                    pickupCm3: stop.pickupCm3, parcels: stop.parcels, loadAfterGrams: visit.loadAfter[0],
                    loadAfterCm3: visit.loadAfter.count > 1 ? visit.loadAfter[1] : 0,
                    shipments: stop.shipments.map(\.id), collections: stop.collections.map(\.id),
                    legDistanceM: problem.travel.distance(from, sequence[seq]), legCrowFlyM: crowFly[seq])
            }
            routes.append(PlanView.Route(
                seq: index + 1, vehicle: vehicle.code, vehicleKind: vehicle.kind, refrigerated: vehicle.refrigerated,
                capacityGrams: vehicle.capacityGrams, capacityCm3: vehicle.capacityCm3,
                shift: "\(ClockTime.hhmm(vehicle.shiftStart))-\(ClockTime.hhmm(vehicle.shiftEnd))",
                start: ClockTime.hhmm(route.startTime), end: ClockTime.hhmm(route.endTime), startLoadGrams: route.startLoad[0],
                distanceM: route.distance, durationS: route.duration,
                costFen: (route.cost + PlanProblem.costScale / 2) / PlanProblem.costScale, stops: stops,
                returnDistanceM: sequence.last.map { problem.travel.distance($0, 0) }, crowFlyM: crowFly.reduce(0, +)))
        }
        var unassigned: [PlanView.Unassigned] = problem.excluded.map { item in
            PlanView.Unassigned(kind: item.stop.kind, place: item.stop.place, parcels: item.stop.parcels, grams: item.stop.deliveryGrams,
                                reason: item.reason, shipments: item.stop.shipments.map(\.id), collections: item.stop.collections.map(\.id))
        }
        let noVehicle = problem.data == nil && !problem.stops.isEmpty
        if noVehicle {
            for stop in problem.stops {
                unassigned.append(.init(kind: stop.kind, place: stop.place, parcels: stop.parcels, grams: stop.deliveryGrams,
                                        reason: .noVehicle, shipments: stop.shipments.map(\.id), collections: stop.collections.map(\.id)))
            }
        }
        for item in solution?.unassigned ?? [] {
            let stop = problem.stops[item.client]
            unassigned.append(.init(kind: stop.kind, place: stop.place, parcels: stop.parcels, grams: stop.deliveryGrams,
                                    reason: UnplannedReason(item.reason), shipments: stop.shipments.map(\.id),
                                    collections: stop.collections.map(\.id)))
        }
        let totals = PlanView.Totals(
            routes: routes.count, stops: routes.reduce(0) { $0 + $1.stops.count },
            parcels: routes.reduce(0) { $0 + $1.stops.reduce(0) { $0 + $1.parcels } },
            distanceM: routes.reduce(0) { $0 + $1.distanceM }, costFen: routes.reduce(0) { $0 + $1.costFen },
            unassignedStops: unassigned.count, parcelsWaiting: unassigned.reduce(0) { $0 + $1.parcels },
            crowFlyM: routes.reduce(0) { $0 + ($1.crowFlyM ?? 0) })
        return PlanView(
            planId: nil, depot: PlanView.Place(code: input.depot.code, name: input.depot.name, lat: input.depot.location.lat,
                                               lon: input.depot.location.lon),
            date: input.date, seed: settings.seed, timeLimitSeconds: settings.timeLimitSeconds,
            solverSeconds: solution?.runtime ?? 0, routes: routes, unassigned: unassigned, totals: totals,
            travel: problem.travel.travel)
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
