import Foundation
import Logistics
import RuralPostCore

/// Equirectangular projection of plan coordinates onto an SVG canvas. Longitude is scaled
/// by cos(mean latitude) so that, over the few tens of kilometres a rural depot covers,
/// a kilometre east and a kilometre north are the same length on screen.
struct MapProjection {
    /// Kilometres per degree of latitude on a sphere of radius 6371 km.
    static let kmPerDegree = 6371.0 * Double.pi / 180

    let width: Double
    let height: Double
    /// Pixels per degree of latitude (and per cos-scaled degree of longitude).
    let scale: Double
    private let cosLat: Double
    private let minX: Double
    private let maxY: Double
    private let offsetX: Double
    private let offsetY: Double

    /// Fits `points` (lat, lon) into a canvas `width` wide and at most `maxHeight` tall,
    /// leaving `margin` on every side. The canvas height shrinks to the content so a plan
    /// spread east-west does not get a tall band of empty paper.
    init(points: [(lat: Double, lon: Double)], width: Double = 1000, maxHeight: Double = 700,
         minHeight: Double = 360, margin: Double = 40) {
        let finite = points.filter { $0.lat.isFinite && $0.lon.isFinite }
        let lats = finite.map(\.lat)
        let meanLat = lats.isEmpty ? 0 : lats.reduce(0, +) / Double(lats.count)
        // Clamp so a corrupt latitude near a pole cannot blow the x axis up to infinity.
        let cosLat = max(cos(min(abs(meanLat), 85) * Double.pi / 180), 0.05)
        let xs = finite.map { $0.lon * cosLat }
        var minX = xs.min() ?? 0, maxX = xs.max() ?? 0
        var minY = lats.min() ?? 0, maxY = lats.max() ?? 0
        // A plan whose points all sit on one spot (or a single stop) would otherwise divide by
        // zero; pad every axis to at least ~1 km so the map zooms to street level, not beyond.
        let minSpan = 1.0 / Self.kmPerDegree
        if maxX - minX < minSpan {
            let mid = (minX + maxX) / 2
            minX = mid - minSpan / 2
            maxX = mid + minSpan / 2
        }
        if maxY - minY < minSpan {
            let mid = (minY + maxY) / 2
            minY = mid - minSpan / 2
            maxY = mid + minSpan / 2
        }
        let innerW = width - 2 * margin
        let innerH = maxHeight - 2 * margin
        let scale = min(innerW / (maxX - minX), innerH / (maxY - minY))
        let height = max(minHeight, ((maxY - minY) * scale + 2 * margin).rounded(.up))
        self.width = width
        self.height = height
        self.scale = scale
        self.cosLat = cosLat
        self.minX = minX
        self.maxY = maxY
        // Centre the content in whichever axis has room to spare.
        self.offsetX = (width - (maxX - minX) * scale) / 2
        self.offsetY = (height - (maxY - minY) * scale) / 2
    }

    /// Pixels per kilometre on the ground.
    var pixelsPerKm: Double { scale / Self.kmPerDegree }

    /// Canvas position of a coordinate; y grows downwards as in SVG.
    func point(lat: Double, lon: Double) -> (x: Double, y: Double) {
        (offsetX + (lon * cosLat - minX) * scale, offsetY + (maxY - lat) * scale)
    }
}
