import Persistence
import RuralPostCore
/// A cloud warehouse (central / regional / micro) where merchants keep stock.
public struct Warehouse: MasterRecord, Equatable {
    public var code: String
    public var name: String
    public var kind: String
    public var lat: Double
    public var lon: Double
    public var coldChain: Bool?
    public var dailyCapacity: Int64
    public var cutoffTime: String?
    public var active: Bool?

    public static let table = "warehouses"
    public static let columns = ["code", "name", "kind", "lat", "lon", "cold_chain", "daily_capacity", "cutoff_time", "active"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.warehouse, "id")]

    public func normalized() throws -> Warehouse {
        var w = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.oneOf(kind, ["central", "regional", "micro"], "kind")
        try Check.coordinates(lat: lat, lon: lon)
        try Check.positive(dailyCapacity, "dailyCapacity")
        w.coldChain = coldChain ?? false
        w.cutoffTime = try Check.clock(cutoffTime ?? "16:00", "cutoffTime")
        w.active = active ?? true
        return w
    }
}
