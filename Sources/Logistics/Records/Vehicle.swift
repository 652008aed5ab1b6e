import Persistence
import RuralPostCore
/// A van based at a depot: capacity by weight and volume, shift, costs, and how many
/// trips (depot, villages, back to the depot to reload) it may make in a day.
public struct Vehicle: MasterRecord, Equatable {
    public var code: String
    public var depotId: Int64
    public var kind: String
    public var capacityGrams: Int64
    public var capacityCm3: Int64
    public var shiftStart: String
    public var shiftEnd: String
    public var fixedCostFen: Int64?
    public var perKmFen: Int64?
    public var refrigerated: Bool?
    public var active: Bool?
    /// Trips per day; 1 = the van never comes back to reload. Default `defaultMaxTrips`.
    public var maxTrips: Int?

    /// Three trips: a rural van can empty itself at two large village stations before noon,
    /// reload and go out again; more is rare within a shift, and the shift still limits it.
    public static let defaultMaxTrips = 3

    public static let table = "vehicles"
    public static let columns = [
        "code", "depot_id", "kind", "capacity_grams", "capacity_cm3", "shift_start", "shift_end",
        "fixed_cost_fen", "per_km_fen", "refrigerated", "active", "max_trips",
    ]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.depot, "depot_id")]

    public func scopeValue(_ column: String) -> Int64? { column == "depot_id" ? depotId : nil }

    public func normalized() throws -> Vehicle {
        var v = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(kind, "kind")
        try Check.within(capacityGrams, 1...1_000_000_000, "capacityGrams")
        try Check.within(capacityCm3, 1...1_000_000_000_000, "capacityCm3")
        v.shiftStart = try Check.clock(shiftStart, "shiftStart")
        v.shiftEnd = try Check.clock(shiftEnd, "shiftEnd")
        if v.shiftEnd <= v.shiftStart { throw DomainError.invalid(field: "shiftEnd", message: "must be after shiftStart") }
        v.fixedCostFen = fixedCostFen ?? 0
        v.perKmFen = perKmFen ?? 0
        try Check.within(v.fixedCostFen!, 0...1_000_000_000, "fixedCostFen")
        try Check.within(v.perKmFen!, 0...10_000_000, "perKmFen")
        v.refrigerated = refrigerated ?? false
        v.active = active ?? true
        v.maxTrips = maxTrips ?? Self.defaultMaxTrips
        try Check.within(Int64(v.maxTrips!), 1...10, "maxTrips")
        return v
    }
}
