import Persistence
import RuralPostCore
/// A county depot where rural routes start and end.
public struct Depot: MasterRecord, Equatable {
    public var code: String
    public var name: String
    public var lat: Double
    public var lon: Double

    public static let table = "depots"
    public static let columns = ["code", "name", "lat", "lon"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.depot, "id")]

    public func normalized() throws -> Depot {
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.coordinates(lat: lat, lon: lon)
        return self
    }
}
