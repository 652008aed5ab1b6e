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
    public var isValid: Bool {
        lat.isFinite && lon.isFinite && (-90...90).contains(lat) && (-180...180).contains(lon)
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
