/// Money in fen (1 yuan = 100 fen). Integer so sums are exact.
public typealias Fen = Int64
/// Weight in grams.
public typealias Grams = Int64
/// Volume in cubic centimetres.
public typealias CubicCentimetres = Int64

/// Chargeable kilograms of a parcel: `max(1, ceil(grams / 1000))`.
@inlinable
public func chargeableKilograms(_ grams: Grams) -> Int64 {
    grams <= 1000 ? 1 : (grams + 999) / 1000
}
