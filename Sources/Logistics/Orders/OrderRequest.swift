import Foundation
import Persistence
import RuralPostCore

/// An order as a warehouse operator submits it (`POST /v1/orders`, `POST /v1/quotes`,
/// bulk NDJSON and CSV import all decode to this).
public struct OrderRequest: Codable, Sendable, Equatable {
    public struct Recipient: Codable, Sendable, Equatable {
        public var name: String
        public var phone: String

        public init(name: String, phone: String) {
            self.name = name
            self.phone = phone
        }
    }

    /// `pickup` at a pickup point (by code), or `home` with address and coordinates.
    public struct Delivery: Codable, Sendable, Equatable {
        public var mode: String
        public var pickupPoint: String?
        public var address: String?
        public var lat: Double?
        public var lon: Double?

        public init(mode: String, pickupPoint: String? = nil, address: String? = nil, lat: Double? = nil, lon: Double? = nil) {
            self.mode = mode
            self.pickupPoint = pickupPoint
            self.address = address
            self.lat = lat
            self.lon = lon
        }
    }

    public struct Line: Codable, Sendable, Equatable {
        public var sku: String
        public var qty: Int64

        public init(sku: String, qty: Int64) {
            self.sku = sku
            self.qty = qty
        }
    }

    /// Merchant code.
    public var merchant: String
    public var externalRef: String?
    /// `online`, `phone` (the 11185 hotline) or `counter`.
    public var channel: String
    public var recipient: Recipient
    public var delivery: Delivery
    public var lines: [Line]
    /// Higher is more important (key accounts).
    public var priority: Int?
    /// Ship what stock allows and backorder the rest (default), or refuse unless the
    /// whole order can ship.
    public var allowPartial: Bool?

    public init(merchant: String, externalRef: String? = nil, channel: String, recipient: Recipient, delivery: Delivery,
                lines: [Line], priority: Int? = nil, allowPartial: Bool? = nil) {
        self.merchant = merchant
        self.externalRef = externalRef
        self.channel = channel
        self.recipient = recipient
        self.delivery = delivery
        self.lines = lines
        self.priority = priority
        self.allowPartial = allowPartial
    }

    static let maxLines = 100

    /// Checks what can be checked without the database; throws naming the field.
    public func validate() throws {
        try Check.nonEmpty(merchant, "merchant")
        try Check.oneOf(channel, ["online", "phone", "counter"], "channel")
        try Check.nonEmpty(recipient.name, "recipient.name")
        let digits = recipient.phone.filter(\.isNumber)
        // `\z`, not `$`: ICU's `$` also matches before a final newline.
        guard recipient.phone.range(of: #"^\+?[0-9][0-9 -]{5,19}\z"#, options: .regularExpression) != nil, digits.count >= 6 else {
            throw DomainError.invalid(field: "recipient.phone", message: "must be a phone number of 6 to 20 digits")
        }
        try Check.oneOf(delivery.mode, ["pickup", "home"], "delivery.mode")
        if delivery.mode == "pickup" {
            guard let code = delivery.pickupPoint, !code.isEmpty else {
                throw DomainError.invalid(field: "delivery.pickupPoint", message: "is required for pickup delivery")
            }
        } else {
            guard let address = delivery.address, !address.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DomainError.invalid(field: "delivery.address", message: "is required for home delivery")
            }
            if let problem = GeoPoint.problem(lat: delivery.lat, lon: delivery.lon) {
                throw DomainError.invalid(field: "delivery.\(problem.field)", message: problem.message)
            }
        }
        if let priority, !(Int(Int32.min)...Int(Int32.max)).contains(priority) {
            throw DomainError.invalid(field: "priority", message: "must be between \(Int32.min) and \(Int32.max)")
        }
        guard !lines.isEmpty else { throw DomainError.invalid(field: "lines", message: "an order needs at least one line") }
        guard lines.count <= Self.maxLines else { throw DomainError.invalid(field: "lines", message: "at most \(Self.maxLines) lines") }
        var seen: Set<String> = []
        for (i, line) in lines.enumerated() {
            try Check.nonEmpty(line.sku, "lines[\(i)].sku")
            guard line.qty > 0 else { throw DomainError.invalid(field: "lines[\(i)].qty", message: "must be > 0") }
            guard line.qty <= 100_000 else { throw DomainError.invalid(field: "lines[\(i)].qty", message: "must be at most 100000") }
            guard seen.insert(line.sku).inserted else {
                throw DomainError.invalid(field: "lines[\(i)].sku", message: "SKU \(line.sku) appears on two lines; merge them")
            }
        }
    }

    /// Field names a request body may contain at the top level.
    public static let fieldNames: Set<String> = ["merchant", "externalRef", "channel", "recipient", "delivery", "lines", "priority", "allowPartial"]
}

extension OrderRequest {
    /// The pickup point's code for a pickup delivery; nil for home delivery.
    var pickupPointCode: String? {
        delivery.mode == "pickup" ? delivery.pickupPoint : nil
    }
}
