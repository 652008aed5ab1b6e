/// A zone-and-weight parcel tariff: a handling fee per parcel plus a first-kilogram
/// price and a price per additional kilogram, by distance band, and a surcharge on
/// every heavy parcel (DOMAIN.md: over 20 kg parcels are "heavy" and priced separately).
public struct Tariff: Hashable, Sendable, Codable {
    /// One distance band. A lane belongs to the first zone whose `maxKm` is at least
    /// its great-circle length.
    public struct Zone: Hashable, Sendable, Codable {
        public var maxKm: Double
        public var firstKgFen: Fen
        public var additionalKgFen: Fen

        public init(maxKm: Double, firstKgFen: Fen, additionalKgFen: Fen) {
            self.maxKm = maxKm
            self.firstKgFen = firstKgFen
            self.additionalKgFen = additionalKgFen
        }
    }

    public var handlingFen: Fen
    /// Heaviest parcel allowed; heavier shipments are split into several parcels.
    public var parcelMaxGrams: Grams
    /// Parcels above this weight are "heavy": each costs `heavySurchargeFen` more.
    public var heavyThresholdGrams: Grams?
    /// Added to the price of every parcel heavier than `heavyThresholdGrams` (0: none).
    public var heavySurchargeFen: Fen
    /// Zones sorted by `maxKm` ascending.
    public private(set) var zones: [Zone]

    public init(handlingFen: Fen, parcelMaxGrams: Grams, heavyThresholdGrams: Grams? = nil, heavySurchargeFen: Fen = 0,
                zones: [Zone]) {
        self.handlingFen = handlingFen
        self.parcelMaxGrams = parcelMaxGrams
        self.heavyThresholdGrams = heavyThresholdGrams
        self.heavySurchargeFen = heavySurchargeFen
        self.zones = zones.sorted { $0.maxKm < $1.maxKm }
    }

    enum CodingKeys: String, CodingKey { case handlingFen, parcelMaxGrams, heavyThresholdGrams, heavySurchargeFen, zones }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            handlingFen: try c.decode(Fen.self, forKey: .handlingFen),
            parcelMaxGrams: try c.decode(Grams.self, forKey: .parcelMaxGrams),
            heavyThresholdGrams: try c.decodeIfPresent(Grams.self, forKey: .heavyThresholdGrams),
            heavySurchargeFen: try c.decodeIfPresent(Fen.self, forKey: .heavySurchargeFen) ?? 0,
            zones: try c.decode([Zone].self, forKey: .zones)
        )
    }

    /// Problems that make the tariff unusable, as (field, message) pairs; empty when valid.
    public func validationErrors() -> [(field: String, message: String)] {
        var errors: [(String, String)] = []
        if handlingFen < 0 { errors.append(("handlingFen", "must be >= 0")) }
        if parcelMaxGrams <= 0 { errors.append(("parcelMaxGrams", "must be > 0")) }
        if let h = heavyThresholdGrams, h <= 0 { errors.append(("heavyThresholdGrams", "must be > 0")) }
        if heavySurchargeFen < 0 { errors.append(("heavySurchargeFen", "must be >= 0")) }
        if heavySurchargeFen > 0 && heavyThresholdGrams == nil {
            errors.append(("heavySurchargeFen", "needs heavyThresholdGrams, the weight heavy parcels start above"))
        }
        if zones.isEmpty { errors.append(("zones", "at least one zone is required")) }
        for (i, z) in zones.enumerated() {
            if !(z.maxKm.isFinite && z.maxKm >= 0) { errors.append(("zones[\(i)].maxKm", "must be a finite number >= 0")) }
            if z.firstKgFen < 0 { errors.append(("zones[\(i)].firstKgFen", "must be >= 0")) }
            if z.additionalKgFen < 0 { errors.append(("zones[\(i)].additionalKgFen", "must be >= 0")) }
        }
        return errors
    }

    /// Index of the zone for a lane of `distanceKm`, or nil when beyond the last zone.
    public func zoneIndex(forDistanceKm distanceKm: Double) -> Int? {
        zones.firstIndex { $0.maxKm >= distanceKm }
    }

    /// Weight above which a parcel pays `heavySurchargeFen`: `Grams.max` without a surcharge.
    public var heavyAboveGrams: Grams {
        heavySurchargeFen > 0 ? heavyThresholdGrams ?? .max : .max
    }

    /// Price of one parcel of `grams` in zone `zone`.
    public func parcelPrice(grams: Grams, zone: Int) -> Fen {
        let z = zones[zone]
        return handlingFen + z.firstKgFen + (chargeableKilograms(grams) - 1) * z.additionalKgFen
            + (grams > heavyAboveGrams ? heavySurchargeFen : 0)
    }
}
