import Foundation
import RuralPostCore

/// Van speeds per OpenStreetMap road class (`highway=*`), in km/h: what a loaded rural
/// delivery van averages on such a road, bends, junctions and villages included, not
/// the legal limit. A way's `maxspeed` tag wins where present (capped at
/// ``vanTopSpeedKmh``). The table is the only source of which classes are drivable:
/// a class not in it is not loaded. Edit it with `--speeds FILE.csv` (`road_class,kmh`;
/// `ruralpost roads speeds` prints the defaults as such a file).
public struct RoadSpeeds: Sendable, Equatable {
    /// km/h by road class.
    public private(set) var kmh: [String: Double]

    /// A van's top speed; a posted 120 km/h does not make the van faster.
    public static let vanTopSpeedKmh = 90.0

    /// The defaults for a rural van (docs/roads.md explains them).
    public static let defaults = RoadSpeeds(kmh: [
        "motorway": 85, "motorway_link": 45,
        "trunk": 70, "trunk_link": 40,
        "primary": 55, "primary_link": 35,
        "secondary": 45, "secondary_link": 30,
        "tertiary": 38, "tertiary_link": 25,
        // Narrow, unmarked, winding: the typical road to a village.
        "unclassified": 28,
        "residential": 22,
        "living_street": 8,
        "service": 12,
        // Farm and forest tracks: passable for a van, slowly.
        "track": 10,
        // Mapped as a road of unknown class.
        "road": 20,
    ])

    public init(kmh: [String: Double]) {
        self.kmh = kmh
    }

    /// Reads `road_class,kmh` rows (a header row is allowed). Classes not in the file
    /// keep their default; a row with speed 0 removes the class (not drivable).
    public static func parse(csv data: Data, name: String) throws -> RoadSpeeds {
        var speeds = defaults
        let records: [CSVReader.Record]
        do {
            records = try CSVReader(data: data).records()
        } catch {
            throw DomainError.invalid(field: "speeds", message: "\(name): \(error)")
        }
        for record in records {
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if record.line == 1 && f.first?.lowercased() == "road_class" { continue }
            guard f.count == 2, !f[0].isEmpty, let value = Double(f[1]), value.isFinite, value >= 0, value <= 200 else {
                throw DomainError.invalid(field: "speeds", message: "\(name) line \(record.line): expected road_class,kmh with 0 <= kmh <= 200")
            }
            speeds.kmh[f[0]] = value == 0 ? nil : value
        }
        guard !speeds.kmh.isEmpty else { throw DomainError.invalid(field: "speeds", message: "\(name): no drivable road class left") }
        return speeds
    }

    /// The table as `road_class,kmh` CSV, fastest class first.
    public var csv: String {
        "road_class,kmh\n" + kmh.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key),\(PlanNumber.trim($0.value))" }.joined(separator: "\n") + "\n"
    }

    /// Speed of a way of `roadClass` with an optional `maxspeed` tag; nil when the
    /// class is not drivable. `fromTag` tells whether the tag decided.
    public func speed(roadClass: String, maxspeed: String?) -> (kmh: Double, fromTag: Bool)? {
        guard let base = kmh[roadClass] else { return nil }
        if let maxspeed, let posted = Self.parseMaxspeed(maxspeed) {
            return (min(posted, Self.vanTopSpeedKmh), true)
        }
        return (base, false)
    }

    /// km/h of an OpenStreetMap `maxspeed` value: `50`, `30 mph`, `walk`, `50;30` (the
    /// lowest). Zone codes (`DE:urban`), `none` and `signals` give nil: the class speed
    /// is used.
    public static func parseMaxspeed(_ value: String) -> Double? {
        var best: Double?
        for part in value.split(separator: ";") {
            let text = part.trimmingCharacters(in: .whitespaces).lowercased()
            var speed: Double?
            if text == "walk" {
                speed = 6
            } else if text.hasSuffix("mph"), let v = Double(text.dropLast(3).trimmingCharacters(in: .whitespaces)) {
                speed = v * 1.609344
            } else if text.hasSuffix("km/h"), let v = Double(text.dropLast(4).trimmingCharacters(in: .whitespaces)) {
                speed = v
            } else if let v = Double(text) {
                speed = v
            }
            if let s = speed, s.isFinite, s > 0, s <= 200 { best = min(best ?? s, s) }
        }
        return best
    }
}

/// Number text without a trailing ".0" for whole numbers (CSV and summaries).
enum PlanNumber {
    static func trim(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
