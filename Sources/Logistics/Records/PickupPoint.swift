import Persistence
import RuralPostCore
/// A self-pickup point: post outlet, village station, partner shop or locker.
public struct PickupPoint: MasterRecord, Equatable {
    public var code: String
    public var name: String
    public var kind: String
    public var lat: Double
    public var lon: Double
    public var serviceCentreId: Int64
    public var depotId: Int64?
    public var openingHours: OpeningHours
    public var slotCapacity: Int64
    public var holdDays: Int64
    public var extensionDays: Int64?
    public var active: Bool?

    public static let table = "pickup_points"
    public static let columns = [
        "code", "name", "kind", "lat", "lon", "service_centre_id", "depot_id",
        "opening_hours", "slot_capacity", "hold_days", "extension_days", "active",
    ]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [
        (.pickupPoint, "id"), (.serviceCentre, "service_centre_id"),
    ]

    public func scopeValue(_ column: String) -> Int64? { column == "service_centre_id" ? serviceCentreId : nil }

    public func normalized() throws -> PickupPoint {
        var p = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.oneOf(kind, ["post_outlet", "village_station", "partner_shop", "locker"], "kind")
        try Check.coordinates(lat: lat, lon: lon)
        try Check.positive(slotCapacity, "slotCapacity")
        if !(1...30).contains(holdDays) { throw DomainError.invalid(field: "holdDays", message: "must be between 1 and 30") }
        p.extensionDays = extensionDays ?? 3
        if !(0...30).contains(p.extensionDays!) {
            throw DomainError.invalid(field: "extensionDays", message: "must be between 0 and 30")
        }
        p.openingHours = try openingHours.normalized()
        p.active = active ?? true
        return p
    }
}

/// Weekly opening hours: day (`mon` ... `sun`) to a list of `["HH:MM", "HH:MM"]` intervals.
public struct OpeningHours: Codable, Sendable, Equatable {
    public static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    public var intervals: [String: [[String]]]

    public init(_ intervals: [String: [[String]]]) {
        self.intervals = intervals
    }

    public init(from decoder: any Decoder) throws {
        intervals = try decoder.singleValueContainer().decode([String: [[String]]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(intervals)
    }

    /// Checks day names and intervals, sorts them, rejects overlaps.
    func normalized() throws -> OpeningHours {
        var result: [String: [[String]]] = [:]
        for (day, list) in intervals {
            let field = "openingHours.\(day)"
            guard OpeningHours.days.contains(day) else {
                throw DomainError.invalid(field: field, message: "day must be one of \(OpeningHours.days.joined(separator: ", "))")
            }
            var normalized: [[String]] = []
            for interval in list {
                guard interval.count == 2 else { throw DomainError.invalid(field: field, message: "each interval is [\"HH:MM\", \"HH:MM\"]") }
                let open = try Check.clock(interval[0], field)
                let close = try Check.clock(interval[1], field)
                guard open < close else { throw DomainError.invalid(field: field, message: "opening \(open) must be before closing \(close)") }
                normalized.append([open, close])
            }
            normalized.sort { $0[0] < $1[0] }
            for (a, b) in zip(normalized, normalized.dropFirst()) where b[0] < a[1] {
                throw DomainError.invalid(field: field, message: "intervals overlap")
            }
            result[day] = normalized
        }
        return OpeningHours(result)
    }

    /// Opening intervals on a weekday (0 = Monday) in seconds after midnight.
    public func windows(weekday: Int) -> [(start: Int64, end: Int64)] {
        (intervals[OpeningHours.days[weekday]] ?? []).map { ($0.first.map(Self.seconds) ?? 0, $0.last.map(Self.seconds) ?? 0) }
    }

    /// Seconds after midnight of an `HH:MM` clock time.
    public static func seconds(_ clock: String) -> Int64 {
        let parts = clock.split(separator: ":").compactMap { Int64($0) }
        return (parts.first ?? 0) * 3600 + (parts.count > 1 ? parts[1] : 0) * 60
    }
}
