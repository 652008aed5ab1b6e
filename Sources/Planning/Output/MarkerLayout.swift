import Foundation
import Logistics
import RuralPostCore

/// Places map markers so that stops sharing one coordinate stay visible. Several stops at
/// the same spot are common (two vans serving one pickup point, homes geocoded to the
/// village centre, a test plan with everything at the depot); drawn as they are, each
/// would hide the others. Every marker after the first on the same pixel is moved onto a
/// small ring around it, eight to a ring, like a spiderfied marker cluster.
struct MarkerLayout {
    private struct Key: Hashable {
        let x: Int
        let y: Int
    }

    /// Distance between rings, in pixels: enough to clear the depot star (radius 14) and a marker (half-width 8).
    static let ringSpacing = 24.0

    private let projection: MapProjection
    private var taken: [Key: Int] = [:]

    /// `depot` is taken first, so a stop at the depot is moved off the depot marker.
    init(projection: MapProjection, depot: (x: Double, y: Double)?) {
        self.projection = projection
        if let depot { taken[Self.key(depot)] = 1 }
    }

    /// Where to draw the next marker for `place`, or nil when its coordinate is not a number.
    mutating func position(of place: PlanView.Place) -> (x: Double, y: Double)? {
        guard let p = PlanMap.place(place, projection) else { return nil }
        let key = Self.key(p)
        let n = taken[key, default: 0]
        taken[key] = n + 1
        guard n > 0 else { return p }
        let ring = (n - 1) / 8
        let slot = (n - 1) % 8
        let radius = Self.ringSpacing * Double(ring + 1)
        // Rings are turned by half a slot so outer markers fall between inner ones.
        let angle = -Double.pi / 2 + Double(slot) * Double.pi / 4 + Double(ring) * Double.pi / 8
        return (p.x + radius * cos(angle), p.y + radius * sin(angle))
    }

    private static func key(_ p: (x: Double, y: Double)) -> Key {
        Key(x: Int(p.x.rounded()), y: Int(p.y.rounded()))
    }
}
