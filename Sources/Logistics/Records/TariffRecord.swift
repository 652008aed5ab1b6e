import Persistence
import RuralPostCore

/// A tariff as stored and served: the pricing fields plus its distance zones.
public struct TariffRecord: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var handlingFen: Int64
    public var parcelMaxGrams: Int64
    public var heavyThresholdGrams: Int64?
    /// Added to each parcel heavier than `heavyThresholdGrams`; 0 (the default) for none.
    public var heavySurchargeFen: Int64?
    /// The tariff order intake prices with (at most one).
    public var isDefault: Bool?
    public var zones: [Tariff.Zone]

    public init(code: String, name: String, tariff: Tariff, isDefault: Bool) {
        self.code = code
        self.name = name
        handlingFen = tariff.handlingFen
        parcelMaxGrams = tariff.parcelMaxGrams
        heavyThresholdGrams = tariff.heavyThresholdGrams
        heavySurchargeFen = tariff.heavySurchargeFen
        self.isDefault = isDefault
        zones = tariff.zones
    }

    /// The pricing model the splitting engine uses.
    public var tariff: Tariff {
        Tariff(handlingFen: handlingFen, parcelMaxGrams: parcelMaxGrams, heavyThresholdGrams: heavyThresholdGrams,
               heavySurchargeFen: heavySurchargeFen ?? 0, zones: zones)
    }

    func normalized() throws -> TariffRecord {
        var t = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.within(handlingFen, 0...10_000_000, "handlingFen")
        try Check.within(parcelMaxGrams, 1...1_000_000, "parcelMaxGrams")
        if let heavy = heavyThresholdGrams { try Check.within(heavy, 1...1_000_000, "heavyThresholdGrams") }
        if let surcharge = heavySurchargeFen { try Check.within(surcharge, 0...10_000_000, "heavySurchargeFen") }
        for (i, zone) in zones.enumerated() {
            if !(zone.maxKm.isFinite && zone.maxKm <= 40_000) {
                throw DomainError.invalid(field: "zones[\(i)].maxKm", message: "must be between 0 and 40000")
            }
            try Check.within(zone.firstKgFen, 0...10_000_000, "zones[\(i)].firstKgFen")
            try Check.within(zone.additionalKgFen, 0...10_000_000, "zones[\(i)].additionalKgFen")
        }
        if let problem = tariff.validationErrors().first {
            throw DomainError.invalid(field: problem.field, message: problem.message)
        }
        let sorted = tariff.zones
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.maxKm == b.maxKm {
            throw DomainError.invalid(field: "zones", message: "two zones end at \(a.maxKm) km")
        }
        t.zones = sorted
        t.isDefault = isDefault ?? false
        t.heavySurchargeFen = heavySurchargeFen ?? 0
        return t
    }
}

/// A stored tariff with its id.
public struct StoredTariff: Codable, Sendable {
    public let id: Int64
    public let tariff: TariffRecord
    public let createdAt: String
    public let updatedAt: String

    enum CodingKeys: String, CodingKey { case id, createdAt, updatedAt }

    init(id: Int64, tariff: TariffRecord, createdAt: String, updatedAt: String) {
        self.id = id
        self.tariff = tariff
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        updatedAt = try c.decode(String.self, forKey: .updatedAt)
        tariff = try TariffRecord(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try tariff.encode(to: encoder)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
