import Foundation
import Logistics
import Routing
import RuralPostCore

/// The routing problem built from a depot's day, with the bookkeeping to turn the
/// solver's answer back into stops, shipments and collections.
///
/// Units: distances in metres, durations in seconds, loads as [grams, cm3, parcels],
/// costs in milli-fen (so a per-km price in fen is an integer cost per metre).
struct PlanProblem {
    /// One visit the solver may schedule: a pickup point (its deliveries and collections)
    /// or a home address (one order's shipments).
    struct Stop {
        let kind: StopKind
        let place: PlanView.Place
        let location: GeoPoint
        let pointId: Int64?
        let windows: [ClosedRange<Int64>]
        let shipments: [PlanInput.Shipment]
        let collections: [PlanInput.Collection]
        var deliveryGrams: Int64 { shipments.reduce(0) { $0 + $1.grams } }
        var deliveryCm3: Int64 { shipments.reduce(0) { $0 + $1.cm3 } }
        var pickupGrams: Int64 { collections.reduce(0) { $0 + $1.grams } }
        var pickupCm3: Int64 { collections.reduce(0) { $0 + $1.cm3 } }
        var parcels: Int { shipments.reduce(0) { $0 + $1.parcels } }
        var needsCold: Bool { shipments.contains(where: \.coldChain) }
        /// When the last of its parcels is at the depot (seconds after midnight).
        var release: Int64 { shipments.map(\.releaseSeconds).max() ?? 0 }
    }

    let input: PlanInput
    let stops: [Stop]
    /// Stops (or parts of stops) left out before solving, with the reason.
    let excluded: [(stop: Stop, reason: UnplannedReason)]
    let data: ProblemData?

    static let costScale: Int64 = 1000

    /// Travel between `locations` (the depot, then each stop of `stops`).
    let travel: TravelMatrix
    /// Index into `travel` of each stop in `stops`.
    let locationOfStop: [Int]

    /// The visits a depot's day asks for, before travel is known: pickup points (their
    /// deliveries up to the free slots, and collections) and home addresses, plus what
    /// is left out already (full or closed points).
    static func candidates(input: PlanInput, settings: PlanSettings) -> (stops: [Stop], excluded: [(stop: Stop, reason: UnplannedReason)]) {
        var stops: [Stop] = []
        var excluded: [(stop: Stop, reason: UnplannedReason)] = []

        // Cold-chain parcels ride a refrigerated van, the rest any van: a place with
        // both becomes two visits, so the cold fleet carries only what needs it. Parcels
        // that reach the depot at different times (the line-haul) are separate visits
        // too, so early parcels need not wait for the truck; produce is collected on the
        // earliest. What arrives after every van's shift has ended waits for tomorrow.
        let lastShiftEnd = input.vehicles.map(\.shiftEnd).max() ?? 0
        func addVisits(kind: StopKind, place: PlanView.Place, location: GeoPoint, pointId: Int64?, windows: [ClosedRange<Int64>],
                       shipments: [PlanInput.Shipment], collections: [PlanInput.Collection]) {
            let late = shipments.filter { $0.releaseSeconds >= lastShiftEnd && !input.vehicles.isEmpty }
            if !late.isEmpty {
                excluded.append((Stop(kind: kind, place: place, location: location, pointId: pointId, windows: windows,
                                      shipments: late, collections: []), .lateArrival))
            }
            let byRelease = Dictionary(grouping: shipments.filter { $0.releaseSeconds < lastShiftEnd || input.vehicles.isEmpty },
                                       by: \.releaseSeconds)
            let releases = byRelease.keys.sorted()
            var produce = collections
            for release in releases.isEmpty ? [0] : releases {
                let group = byRelease[release] ?? []
                let cold = group.filter(\.coldChain), ambient = group.filter { !$0.coldChain }
                if !ambient.isEmpty || !produce.isEmpty {
                    stops.append(Stop(kind: kind, place: place, location: location, pointId: pointId, windows: windows,
                                      shipments: ambient, collections: produce))
                    produce = []
                }
                if !cold.isEmpty {
                    stops.append(Stop(kind: kind, place: place, location: location, pointId: pointId, windows: windows,
                                      shipments: cold, collections: []))
                }
            }
        }

        // Pickup points: deliveries up to the free slots (one slot per shipment, as
        // check-in assigns them), in due order; the rest waits at the depot.
        let byPoint = Dictionary(grouping: input.shipments.filter { $0.pickupPointId != nil }, by: { $0.pickupPointId! })
        let collectionsByPoint = Dictionary(grouping: input.collections, by: \.pickupPointId)
        for pointId in Set(byPoint.keys).union(collectionsByPoint.keys).sorted() {
            guard let point = input.points[pointId] else { continue }
            let place = PlanView.Place(code: point.code, name: point.name, lat: point.location.lat, lon: point.location.lon)
            let waiting = byPoint[pointId] ?? []
            let fits = Array(waiting.prefix(point.freeSlots))
            let collections = collectionsByPoint[pointId] ?? []
            if waiting.count > fits.count {
                excluded.append((Stop(kind: .pickupPoint, place: place, location: point.location, pointId: pointId,
                                      windows: point.windows, shipments: Array(waiting.dropFirst(fits.count)), collections: []), .slots))
            }
            if point.windows.isEmpty {
                excluded.append((Stop(kind: .pickupPoint, place: place, location: point.location, pointId: pointId,
                                      windows: [], shipments: fits, collections: collections), .closed))
            } else {
                addVisits(kind: .pickupPoint, place: place, location: point.location, pointId: pointId, windows: point.windows,
                          shipments: fits, collections: collections)
            }
        }
        // Home deliveries: one stop per order.
        let homes = Dictionary(grouping: input.shipments.filter { $0.pickupPointId == nil }, by: { $0.orderId ?? -$0.id })
        for key in homes.keys.sorted() {
            let shipments = homes[key]!
            let first = shipments[0]
            let code = "home:\(first.orderId ?? first.id)"
            addVisits(kind: .home, place: PlanView.Place(code: code, name: first.address.isEmpty ? code : first.address,
                                                          lat: first.location.lat, lon: first.location.lon),
                      location: first.location, pointId: nil, windows: [settings.homeWindow], shipments: shipments, collections: [])
        }
        return (stops, excluded)
    }

    /// The solver's problem for `candidates`, whose locations `travel` covers (depot at 0,
    /// candidate k at k + 1). Candidates travel cannot serve (`offRoad`, `unreachable`)
    /// are excluded with that reason, never given a made-up distance.
    init(input: PlanInput, candidates: [Stop], excluded: [(stop: Stop, reason: UnplannedReason)], travel: TravelMatrix,
         settings: PlanSettings) throws {
        self.input = input
        self.travel = travel
        var stops: [Stop] = []
        var excluded = excluded
        var locationOfStop: [Int] = []
        for (k, stop) in candidates.enumerated() {
            if let problem = travel.problems[k + 1] {
                excluded.append((stop, problem))
            } else {
                stops.append(stop)
                locationOfStop.append(k + 1)
            }
        }
        self.stops = stops
        self.excluded = excluded
        self.locationOfStop = locationOfStop
        guard !stops.isEmpty, !input.vehicles.isEmpty else {
            data = nil
            return
        }

        // Location 0 is the depot, then one per stop.
        let index = [0] + locationOfStop
        let locations = [input.depot.location] + stops.map(\.location)
        let codes = [input.depot.code] + stops.map(\.place.code)
        let n = locations.count
        var distances = [Int64](repeating: 0, count: n * n), durations = [Int64](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                distances[i * n + j] = travel.distance(index[i], index[j])
                durations[i * n + j] = travel.duration(index[i], index[j])
                guard distances[i * n + j] >= 0, durations[i * n + j] >= 0 else {
                    throw DomainError.internalError("no travel time from \(codes[i]) to \(codes[j])")
                }
            }
        }
        // Loading at the depot before each trip, the first and every reload: every trip
        // leaves the depot along one of these edges, so adding it to them times each
        // departure (PyVRP models a depot's service duration the same way). A trip's
        // start is then when loading begins: with line-haul parcels, when they arrive.
        for j in 1..<n { durations[j] += input.depot.loadingSeconds }
        // Parcels are not a van limit (weight and volume are); a large finite bound keeps load arithmetic safe.
        let unlimited: Int64 = 1_000_000
        let clients = stops.enumerated().map { index, stop in
            let service = settings.stopServiceSeconds + settings.parcelServiceSeconds * Int64(stop.parcels)
                + settings.collectionServiceSecondsPer10Kg * (stop.pickupGrams / 10_000)
            return Client(
                location: index + 1, delivery: [stop.deliveryGrams, stop.deliveryCm3, Int64(stop.parcels)],
                pickup: [stop.pickupGrams, stop.pickupCm3, 0], serviceDuration: service,
                timeWindows: stop.windows.map { Window(start: $0.lowerBound, end: $0.upperBound) },
                skills: stop.needsCold ? ["refrigerated"] : [], name: stop.place.code, releaseTime: stop.release)
        }
        // One vehicle type per van, so each route names its van. A van with more than one
        // trip may come back to the depot (depot 0) to unload produce and reload.
        let types = input.vehicles.map { v in
            VehicleType(count: 1, capacity: [v.capacityGrams, v.capacityCm3, unlimited], startDepot: 0, endDepot: 0,
                        shift: Window(start: v.shiftStart, end: v.shiftEnd), fixedCost: v.fixedCostFen * Self.costScale,
                        unitDistanceCost: v.perKmFen, unitDurationCost: 0,
                        skills: v.refrigerated ? ["refrigerated"] : [], name: v.code,
                        reloadDepots: v.maxTrips > 1 ? [0] : [], maxReloads: max(0, v.maxTrips - 1))
        }
        data = try ProblemData(locationCount: n, flatDistances: distances, flatDurations: durations,
                               depots: [Depot(location: 0, name: input.depot.code)], clients: clients, vehicleTypes: types,
                               coordinates: locations.map { (x: $0.lon, y: $0.lat) })
    }
}
