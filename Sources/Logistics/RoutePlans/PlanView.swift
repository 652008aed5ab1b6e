import Persistence
import RuralPostCore
/// A route plan as planners, drivers and the map see it: routes with ordered stops,
/// times and loads, and what could not be planned and why. Times are local clock
/// times of the plan date; distances in metres; money in fen; weights in grams.
public struct PlanView: Codable, Sendable, Equatable {
    public struct Place: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var lat: Double
        public var lon: Double

        public init(code: String, name: String, lat: Double, lon: Double) {
            self.code = code
            self.name = name
            self.lat = lat
            self.lon = lon
        }
    }

    public struct Stop: Codable, Sendable, Equatable {
        public var seq: Int
        public var kind: StopKind
        public var place: Place
        /// Arrival and service start as HH:MM.
        public var arrival: String
        public var serviceStart: String
        public var departure: String
        /// Opening intervals that day, e.g. ["08:00-11:30", "14:00-19:00"].
        public var windows: [String]
        public var deliveryGrams: Int64
        public var deliveryCm3: Int64
        public var pickupGrams: Int64
        public var pickupCm3: Int64
        public var parcels: Int
        /// On board after this stop.
        public var loadAfterGrams: Int64
        public var loadAfterCm3: Int64
        public var shipments: [Int64]
        public var collections: [Int64]
        /// Travel from the previous stop (or the depot) to this one, in metres: road
        /// distance on a road network, else the estimate the plan used.
        public var legDistanceM: Int64?
        /// Straight-line (great-circle) distance of the same leg, for comparison.
        public var legCrowFlyM: Int64?
        /// Which trip of the route (1 = the first departure; nil in plans made before
        /// vans reloaded).
        public var trip: Int?
        /// `HH:MM` when the last of this stop's parcels reaches the depot on the
        /// line-haul; nil when they are all there before the day starts.
        public var readyAt: String?
        public init(seq: Int, kind: StopKind, place: Place, arrival: String, serviceStart: String, departure: String, windows: [String], deliveryGrams: Int64, deliveryCm3: Int64, pickupGrams: Int64, pickupCm3: Int64, parcels: Int, loadAfterGrams: Int64, loadAfterCm3: Int64, shipments: [Int64], collections: [Int64],
                    legDistanceM: Int64? = nil, legCrowFlyM: Int64? = nil, trip: Int? = nil, readyAt: String? = nil) {
            self.trip = trip
            self.readyAt = readyAt
            self.seq = seq
            self.kind = kind
            self.place = place
            self.arrival = arrival
            self.serviceStart = serviceStart
            self.departure = departure
            self.windows = windows
            self.deliveryGrams = deliveryGrams
            self.deliveryCm3 = deliveryCm3
            self.pickupGrams = pickupGrams
            self.pickupCm3 = pickupCm3
            self.parcels = parcels
            self.loadAfterGrams = loadAfterGrams
            self.loadAfterCm3 = loadAfterCm3
            self.shipments = shipments
            self.collections = collections
            self.legDistanceM = legDistanceM
            self.legCrowFlyM = legCrowFlyM
        }
    }

    /// One trip of a route: out from the depot loaded, stops, back to the depot (to
    /// reload for the next trip, or at the end of the day).
    public struct Trip: Codable, Sendable, Equatable {
        public var seq: Int
        /// Departure from and return to the depot, `HH:MM`.
        public var start: String
        public var end: String
        /// Loaded at the depot for this trip (the deliveries of its stops).
        public var startLoadGrams: Int64
        public var startLoadCm3: Int64
        /// Produce brought back to the depot.
        public var endLoadGrams: Int64
        public var distanceM: Int64
        /// Number of stops (the stops whose `trip` is `seq`).
        public var stops: Int

        public init(seq: Int, start: String, end: String, startLoadGrams: Int64, startLoadCm3: Int64, endLoadGrams: Int64,
                    distanceM: Int64, stops: Int) {
            self.seq = seq
            self.start = start
            self.end = end
            self.startLoadGrams = startLoadGrams
            self.startLoadCm3 = startLoadCm3
            self.endLoadGrams = endLoadGrams
            self.distanceM = distanceM
            self.stops = stops
        }
    }

    public struct Route: Codable, Sendable, Equatable {
        public var seq: Int
        public var vehicle: String
        public var vehicleKind: String
        public var refrigerated: Bool
        public var capacityGrams: Int64
        public var capacityCm3: Int64
        public var shift: String
        public var start: String
        public var end: String
        public var startLoadGrams: Int64
        public var distanceM: Int64
        public var durationS: Int64
        public var costFen: Int64
        public var stops: [Stop]
        /// The last leg, back to the depot (metres, as `Stop.legDistanceM`).
        public var returnDistanceM: Int64?
        /// Great-circle length of the whole route, leg by leg.
        public var crowFlyM: Int64?
        /// The route as driven, depot to depot along the roads: [lon, lat] pairs. nil when
        /// the plan used great-circle travel (then the route is drawn stop to stop).
        public var path: [[Double]]?
        /// The trips in order (nil in plans made before vans reloaded: one trip).
        public var trips: [Trip]?
        /// The van's limit on trips that day.
        public var maxTrips: Int?
        public init(seq: Int, vehicle: String, vehicleKind: String, refrigerated: Bool, capacityGrams: Int64, capacityCm3: Int64, shift: String, start: String, end: String, startLoadGrams: Int64, distanceM: Int64, durationS: Int64, costFen: Int64, stops: [Stop],
                    returnDistanceM: Int64? = nil, crowFlyM: Int64? = nil, path: [[Double]]? = nil, trips: [Trip]? = nil,
                    maxTrips: Int? = nil) {
            self.trips = trips
            self.maxTrips = maxTrips
            self.seq = seq
            self.vehicle = vehicle
            self.vehicleKind = vehicleKind
            self.refrigerated = refrigerated
            self.capacityGrams = capacityGrams
            self.capacityCm3 = capacityCm3
            self.shift = shift
            self.start = start
            self.end = end
            self.startLoadGrams = startLoadGrams
            self.distanceM = distanceM
            self.durationS = durationS
            self.costFen = costFen
            self.stops = stops
            self.returnDistanceM = returnDistanceM
            self.crowFlyM = crowFlyM
            self.path = path
        }
    }

    /// Where a plan's travel distances and times came from.
    public struct Travel: Codable, Sendable, Equatable {
        /// `roadNetwork` (fastest paths on the imported roads) or `greatCircle`
        /// (straight-line distance x the road factor, at two speeds).
        public var source: String
        /// Why great-circle travel was used, in words (no network, depot outside it, ...).
        public var reason: String?
        public var networkVersion: Int64?
        public var networkSource: String?
        /// Seconds spent on the matrix (0 when it came from the cache).
        public var matrixSeconds: Double
        public var matrixCached: Bool
        /// Legs taken from the `--matrix` file instead.
        public var overriddenLegs: Int
        /// Locations farther than this from any road are not planned (`offRoad`).
        public var snapMaxMetres: Double?

        public init(source: String, reason: String? = nil, networkVersion: Int64? = nil, networkSource: String? = nil,
                    matrixSeconds: Double = 0, matrixCached: Bool = false, overriddenLegs: Int = 0, snapMaxMetres: Double? = nil) {
            self.source = source
            self.reason = reason
            self.networkVersion = networkVersion
            self.networkSource = networkSource
            self.matrixSeconds = matrixSeconds
            self.matrixCached = matrixCached
            self.overriddenLegs = overriddenLegs
            self.snapMaxMetres = snapMaxMetres
        }
    }

    public struct Unassigned: Codable, Sendable, Equatable {
        public var kind: StopKind
        public var place: Place
        public var parcels: Int
        public var grams: Int64
        /// `slots` (the point is full), `closed`, `offRoad` (too far from any road),
        /// `unreachable` (no road from the depot and back), `lateArrival` (on the line-haul,
        /// at the depot after every shift), `capacity`, `timeWindow`, `skills`, `maxDuration`,
        /// `maxDistance`, `fleetSize`, `notProfitable`, `noVehicle`.
        public var reason: UnplannedReason
        public var shipments: [Int64]
        public var collections: [Int64]
        /// The place's opening intervals that day (as `Stop.windows`); nil in older plans.
        public var windows: [String]?
        public init(kind: StopKind, place: Place, parcels: Int, grams: Int64, reason: UnplannedReason, shipments: [Int64], collections: [Int64],
                    windows: [String]? = nil) {
            self.windows = windows
            self.kind = kind
            self.place = place
            self.parcels = parcels
            self.grams = grams
            self.reason = reason
            self.shipments = shipments
            self.collections = collections
        }
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var routes: Int
        public var stops: Int
        public var parcels: Int
        public var distanceM: Int64
        public var costFen: Int64
        public var unassignedStops: Int
        public var parcelsWaiting: Int
        /// Great-circle length of all routes, leg by leg (compare with `distanceM`).
        public var crowFlyM: Int64?
        /// Trips of all routes (routes + reloads).
        public var trips: Int?
        public init(routes: Int, stops: Int, parcels: Int, distanceM: Int64, costFen: Int64, unassignedStops: Int, parcelsWaiting: Int,
                    crowFlyM: Int64? = nil, trips: Int? = nil) {
            self.trips = trips
            self.routes = routes
            self.stops = stops
            self.parcels = parcels
            self.distanceM = distanceM
            self.costFen = costFen
            self.unassignedStops = unassignedStops
            self.parcelsWaiting = parcelsWaiting
            self.crowFlyM = crowFlyM
        }
    }

    public var planId: Int64?
    public var depot: Place
    public var date: String
    public var seed: UInt64
    public var timeLimitSeconds: Double
    public var solverSeconds: Double
    public var routes: [Route]
    public var unassigned: [Unassigned]
    public var totals: Totals
    /// nil in plans made before road networks.
    public var travel: Travel?
    /// Minutes the depot takes to load a van before each trip: a trip's `start` is when
    /// loading begins (nil in plans made before loading times, and when it is 0).
    public var loadingMinutes: Int?
    public init(planId: Int64? = nil, depot: Place, date: String, seed: UInt64, timeLimitSeconds: Double, solverSeconds: Double, routes: [Route], unassigned: [Unassigned], totals: Totals,
                travel: Travel? = nil, loadingMinutes: Int? = nil) {
        self.loadingMinutes = loadingMinutes
        self.planId = planId
        self.depot = depot
        self.date = date
        self.seed = seed
        self.timeLimitSeconds = timeLimitSeconds
        self.solverSeconds = solverSeconds
        self.routes = routes
        self.unassigned = unassigned
        self.totals = totals
        self.travel = travel
    }
}

extension PlanView.Route {
    /// The places in driving order: the depot, the stops, and the depot again between
    /// trips and at the end. Stops without a trip (older plans) are one trip.
    public func drivenPlaces(depot: PlanView.Place) -> [PlanView.Place] {
        var places = [depot]
        for (index, stop) in stops.enumerated() {
            if index > 0, let trip = stop.trip, trip != stops[index - 1].trip { places.append(depot) }
            places.append(stop.place)
        }
        places.append(depot)
        return places
    }

    /// Number of trips (1 for plans made before vans reloaded).
    public var tripCount: Int { trips?.count ?? 1 }
}
