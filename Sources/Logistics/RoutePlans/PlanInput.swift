import Foundation
import Persistence
import RuralPostCore

/// What a depot has to plan for one day, read from the database.
public struct PlanInput: Sendable {
    public struct Depot: Sendable {
        public let id: Int64
        public let code: String
        public let name: String
        public let location: GeoPoint
        /// Time to load a van before each trip (the first and every reload).
        public var loadingSeconds: Int64 = 0
    }

    public struct Vehicle: Sendable {
        public let id: Int64
        public let code: String
        public let kind: String
        public let capacityGrams: Int64
        public let capacityCm3: Int64
        public let shiftStart: Int64
        public let shiftEnd: Int64
        public let fixedCostFen: Int64
        public let perKmFen: Int64
        public let refrigerated: Bool
        /// Trips it may make in the day (1: it never reloads).
        public let maxTrips: Int
    }

    public struct Shipment: Sendable {
        public let id: Int64
        public let orderId: Int64?
        public let pickupPointId: Int64?
        public let address: String
        public let location: GeoPoint
        public let grams: Int64
        public let cm3: Int64
        public let parcels: Int
        public let coldChain: Bool
        /// Seconds after midnight of the plan date from which the shipment is at the depot
        /// (0: there before the day starts): the trip carrying it leaves no earlier.
        public let releaseSeconds: Int64
        /// Still on the line-haul (dispatched, expected at the depot that day).
        public let onLineHaul: Bool
    }

    public struct Point: Sendable {
        public let id: Int64
        public let code: String
        public let name: String
        public let location: GeoPoint
        /// Opening intervals on the plan date, seconds after midnight.
        public let windows: [ClosedRange<Int64>]
        /// Slots not taken by parcels already waiting on the shelf.
        public let freeSlots: Int
    }

    public struct Collection: Sendable {
        public let id: Int64
        public let pickupPointId: Int64
        public let grams: Int64
        public let cm3: Int64
    }

    public let depot: Depot
    public let date: String
    public let vehicles: [Vehicle]
    public let shipments: [Shipment]
    public let points: [Int64: Point]
    public let collections: [Collection]
}
