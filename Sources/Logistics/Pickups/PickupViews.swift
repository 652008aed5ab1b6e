import Foundation
import Persistence
import RuralPostCore

/// `POST /v1/pickup-points/{id}/arrivals`: parcels handed over by a route van.
public struct ArrivalRequest: Decodable, Sendable {
    public let parcels: [Parcel]

    /// One parcel: our shipment by id or tracking number, or another carrier's parcel
    /// (shared distribution) by tracking number with its carrier and recipient.
    public struct Parcel: Decodable, Sendable {
        public let shipmentId: Int64?
        public let trackingNo: String?
        public let carrier: String?
        public let recipientName: String?
        public let recipientPhone: String?
        public let grams: Int64?

        public static let fieldNames: Set<String> = ["shipmentId", "trackingNo", "carrier", "recipientName", "recipientPhone", "grams"]

        enum CodingKeys: String, CodingKey { case shipmentId, trackingNo, carrier, recipientName, recipientPhone, grams }

        public init(from decoder: any Decoder) throws {
            // Nested objects are checked here; the request decoder checks the top level.
            try RequestFields.refuseUnknown(in: decoder, allowed: Self.fieldNames)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            shipmentId = try c.decodeIfPresent(Int64.self, forKey: .shipmentId)
            trackingNo = try c.decodeIfPresent(String.self, forKey: .trackingNo)
            carrier = try c.decodeIfPresent(String.self, forKey: .carrier)
            recipientName = try c.decodeIfPresent(String.self, forKey: .recipientName)
            recipientPhone = try c.decodeIfPresent(String.self, forKey: .recipientPhone)
            grams = try c.decodeIfPresent(Int64.self, forKey: .grams)
        }
    }
}

/// `POST /v1/pickup-points/{id}/collect`: the code and the last 4 digits of the
/// recipient's phone, and who took the parcel (the recipient or a named proxy).
public struct CollectRequest: Decodable, Sendable {
    public let code: String
    public let phoneLast4: String
    public let collectedBy: String?
}

/// A parcel on (or once on) a point's shelf. Never carries the code or its hash.
public struct PickupView: Codable, Sendable {
    public let id: Int64
    public let shipmentId: Int64
    public let trackingNo: String
    public let carrier: String
    public let kind: String
    public let pickupPointId: Int64
    public let slotNo: Int64
    public let status: String
    public let recipientPhoneLast4: String
    public let checkedInAt: String
    public let holdUntil: String
    public let extended: Bool
    public let locked: Bool
    public let failedAttempts: Int64
    public let collectedAt: String?
    public let collectedBy: String?
    public let returnedAt: String?
    public let returnShipmentId: Int64?
}

/// What a collect attempt came to. Failures are committed (counted), so they are
/// results, not thrown errors.
public enum CollectOutcome: Sendable {
    /// The parcels handed over.
    case collected([PickupView])
    /// Wrong code, or no waiting parcel for those phone digits. `attemptsLeft` is the
    /// fewest tries left before a lock among the recipient's parcels (nil: none matched).
    case wrongCode(attemptsLeft: Int?)
    /// Every waiting parcel of that recipient is locked: staff must unlock it.
    case locked
    /// Too many failures at this point or from this key recently.
    case rateLimited(retryAfterSeconds: Int)
}

/// The counter view of one point, also what planners read to see a full point.
public struct CounterView: Codable, Sendable {
    public let pickupPointId: Int64
    public let code: String
    public let slotCapacity: Int64
    public let waiting: Int64
    public let freeSlots: Int64
    public let full: Bool
    public let dueToday: Int64
    public let overdue: Int64
    public let locked: Int64
    public let collectedToday: Int64
    public let returnedThisWeek: Int64
}

/// What an expiry or reminder run did.
public struct MaintenanceReport: Codable, Sendable {
    public var returned = 0
    public var reminded = 0
    public init() {}
}

/// Recipients' phone numbers as pickups use them.
enum RecipientPhone {
    /// The last four digits of a phone number, or nil when it has fewer.
    static func last4(_ phone: String) -> String? {
        let digits = phone.filter(\.isASCII).filter(\.isNumber)
        return digits.count >= 4 ? String(digits.suffix(4)) : nil
    }
}
