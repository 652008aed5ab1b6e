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
        public init(seq: Int, kind: StopKind, place: Place, arrival: String, serviceStart: String, departure: String, windows: [String], deliveryGrams: Int64, deliveryCm3: Int64, pickupGrams: Int64, pickupCm3: Int64, parcels: Int, loadAfterGrams: Int64, loadAfterCm3: Int64, shipments: [Int64], collections: [Int64]) {
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
        public init(seq: Int, vehicle: String, vehicleKind: String, refrigerated: Bool, capacityGrams: Int64, capacityCm3: Int64, shift: String, start: String, end: String, startLoadGrams: Int64, distanceM: Int64, durationS: Int64, costFen: Int64, stops: [Stop]) {
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
        }
    }

    public struct Unassigned: Codable, Sendable, Equatable {
        public var kind: StopKind
        public var place: Place
        public var parcels: Int
        public var grams: Int64
        public var reason: UnplannedReason
        public var shipments: [Int64]
        public var collections: [Int64]
        public init(kind: StopKind, place: Place, parcels: Int, grams: Int64, reason: UnplannedReason, shipments: [Int64], collections: [Int64]) {
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
        public init(routes: Int, stops: Int, parcels: Int, distanceM: Int64, costFen: Int64, unassignedStops: Int, parcelsWaiting: Int) {
            self.routes = routes
            self.stops = stops
            self.parcels = parcels
            self.distanceM = distanceM
            self.costFen = costFen
            self.unassignedStops = unassignedStops
            self.parcelsWaiting = parcelsWaiting
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
    public init(planId: Int64? = nil, depot: Place, date: String, seed: UInt64, timeLimitSeconds: Double, solverSeconds: Double, routes: [Route], unassigned: [Unassigned], totals: Totals) {
        self.planId = planId
        self.depot = depot
        self.date = date
        self.seed = seed
        self.timeLimitSeconds = timeLimitSeconds
        self.solverSeconds = solverSeconds
        self.routes = routes
        self.unassigned = unassigned
        self.totals = totals
    }
}
