import Foundation

/// A WGS84 position in decimal degrees.
public struct GeoPoint: Hashable, Sendable, Codable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }

    /// Mean Earth radius used everywhere distances are priced (IUGG, km).
    public static let earthRadiusKm = 6371.0088

    /// Whether the coordinates are finite and within the valid ranges.
    public var isValid: Bool { Self.problem(lat: lat, lon: lon) == nil }

    /// The first thing wrong with a position given as two numbers (missing, not finite,
    /// out of range): `field` is `lat` or `lon`, for the caller to prefix with its path.
    public static func problem(lat: Double?, lon: Double?) -> (field: String, message: String)? {
        guard let lat, lat.isFinite, (-90...90).contains(lat) else { return ("lat", "must be between -90 and 90") }
        guard let lon, lon.isFinite, (-180...180).contains(lon) else { return ("lon", "must be between -180 and 180") }
        return nil
    }

    /// Great-circle distance in kilometres (haversine formula).
    public func distanceKm(to other: GeoPoint) -> Double {
        let toRad = Double.pi / 180
        let dLat = (other.lat - lat) * toRad
        let dLon = (other.lon - lon) * toRad
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(lat * toRad) * cos(other.lat * toRad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * GeoPoint.earthRadiusKm * asin(min(1, a.squareRoot()))
    }
}
