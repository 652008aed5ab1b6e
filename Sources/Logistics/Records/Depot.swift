import Persistence
import RuralPostCore
/// A county depot where rural routes start and end.
public struct Depot: MasterRecord, Equatable {
    public var code: String
    public var name: String
    public var lat: Double
    public var lon: Double
    /// Minutes to load a van before each trip (the first and every reload); default 0.
    public var loadingMinutes: Int?

    public static let table = "depots"
    public static let columns = ["code", "name", "lat", "lon", "loading_minutes"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.depot, "id")]

    public init(code: String, name: String, lat: Double, lon: Double, loadingMinutes: Int? = nil) {
        self.code = code
        self.name = name
        self.lat = lat
        self.lon = lon
        self.loadingMinutes = loadingMinutes
    }

    public func normalized() throws -> Depot {
        var d = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.coordinates(lat: lat, lon: lon)
        d.loadingMinutes = loadingMinutes ?? 0
        try Check.within(Int64(d.loadingMinutes!), 0...240, "loadingMinutes")
        return d
    }
}
