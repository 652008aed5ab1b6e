/// An immutable vehicle-routing problem: locations with distance and duration matrices,
/// depots, clients and vehicle types.
///
/// Matrices are square, row-major (`distances[from * locationCount + to]`) and may be
/// asymmetric. All measures are integers; scale fractional inputs once at the edge.
public struct ProblemData: Sendable {
    /// Number of locations (rows of each matrix).
    public let locationCount: Int
    /// Row-major distance matrix, `locationCount * locationCount` entries.
    public let distances: [Int64]
    /// Row-major duration (travel time) matrix, same shape as `distances`.
    public let durations: [Int64]
    /// Depots; vehicle types refer to them by index.
    public let depots: [Depot]
    /// Clients; solutions refer to them by index into this array.
    public let clients: [Client]
    /// Vehicle types; solutions refer to them by index into this array.
    public let vehicleTypes: [VehicleType]
    /// Number of load dimensions (1...4); shorter load vectors are padded with zeros.
    public let dimensions: Int
    /// Optional planar coordinates per location, used only to guide the search.
    public let coordinates: [(x: Double, y: Double)]?

    /// Largest number of load dimensions the solver handles.
    public static let maxDimensions = 4

    /// Creates problem data from explicit matrices; throws `ProblemError` when the data
    /// are inconsistent (wrong matrix shape, bad indices, too many dimensions...).
    public init(
        distances: [[Int64]], durations: [[Int64]]? = nil, depots: [Depot], clients: [Client],
        vehicleTypes: [VehicleType], coordinates: [(x: Double, y: Double)]? = nil
    ) throws {
        let n = distances.count
        guard distances.allSatisfy({ $0.count == n }) else { throw ProblemError.matrixShape }
        let dur = durations ?? distances
        guard dur.count == n, dur.allSatisfy({ $0.count == n }) else { throw ProblemError.matrixShape }
        try self.init(
            locationCount: n, flatDistances: distances.flatMap { $0 }, flatDurations: dur.flatMap { $0 },
            depots: depots, clients: clients, vehicleTypes: vehicleTypes, coordinates: coordinates)
    }

    /// Creates problem data from flat row-major matrices.
    public init(
        locationCount n: Int, flatDistances: [Int64], flatDurations: [Int64], depots: [Depot],
        clients: [Client], vehicleTypes: [VehicleType], coordinates: [(x: Double, y: Double)]? = nil
    ) throws {
        guard flatDistances.count == n * n, flatDurations.count == n * n else { throw ProblemError.matrixShape }
        guard !depots.isEmpty else { throw ProblemError.noDepot }
        guard !vehicleTypes.isEmpty else { throw ProblemError.noVehicles }
        if let c = coordinates, c.count != n { throw ProblemError.matrixShape }
        var dims = 1
        for c in clients { dims = max(dims, c.delivery.count, c.pickup.count) }
        for v in vehicleTypes { dims = max(dims, v.capacity.count) }
        guard dims <= Self.maxDimensions else { throw ProblemError.tooManyDimensions(dims) }
        for d in depots where !(0..<n).contains(d.location) { throw ProblemError.badLocation(d.location) }
        for (i, c) in clients.enumerated() {
            guard (0..<n).contains(c.location) else { throw ProblemError.badLocation(c.location) }
            if c.serviceDuration < 0 || c.delivery.contains(where: { $0 < 0 }) || c.pickup.contains(where: { $0 < 0 }) {
                throw ProblemError.negativeValue(client: i)
            }
            for w in c.timeWindows where w.end < w.start { throw ProblemError.badTimeWindow(client: i) }
            if c.releaseTime < 0 { throw ProblemError.invalid(field: "clients[\(i)].releaseTime", "must not be negative") }
        }
        for (i, v) in vehicleTypes.enumerated() {
            guard v.count >= 0, (0..<depots.count).contains(v.startDepot), (0..<depots.count).contains(v.endDepot)
            else { throw ProblemError.badVehicleType(i) }
            for d in v.reloadDepots where !(0..<depots.count).contains(d) {
                throw ProblemError.invalid(field: "vehicleTypes[\(i)].reloadDepots", "unknown depot \(d)")
            }
            if let m = v.maxReloads, m < 0 {
                throw ProblemError.invalid(field: "vehicleTypes[\(i)].maxReloads", "must not be negative")
            }
        }
        let latestShiftEnd = vehicleTypes.filter { $0.count > 0 }.map(\.shift.end).max() ?? Int64.max
        for (i, c) in clients.enumerated() where c.releaseTime > latestShiftEnd {
            throw ProblemError.invalid(field: "clients[\(i)].releaseTime", "\(c.releaseTime) is after every vehicle's shift end")
        }
        guard depots.count <= 64 || !vehicleTypes.contains(where: { !$0.reloadDepots.isEmpty }) else {
            throw ProblemError.invalid(field: "depots", "reload depots need at most 64 depots")
        }
        self.locationCount = n
        self.distances = flatDistances
        self.durations = flatDurations
        self.depots = depots
        self.clients = clients
        self.vehicleTypes = vehicleTypes
        self.dimensions = dims
        self.coordinates = coordinates
    }

    /// Creates problem data whose matrices are Euclidean distances between `coordinates`,
    /// multiplied by `scale` and rounded to the nearest integer (durations equal distances).
    public init(
        coordinates: [(x: Double, y: Double)], scale: Double = 1, depots: [Depot], clients: [Client],
        vehicleTypes: [VehicleType]
    ) throws {
        let n = coordinates.count
        var d = [Int64](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let dx = coordinates[i].x - coordinates[j].x, dy = coordinates[i].y - coordinates[j].y
                d[i * n + j] = Int64(((dx * dx + dy * dy).squareRoot() * scale).rounded())
            }
        }
        try self.init(
            locationCount: n, flatDistances: d, flatDurations: d, depots: depots, clients: clients,
            vehicleTypes: vehicleTypes, coordinates: coordinates)
    }

    /// Distance from location `from` to location `to`.
    public func distance(from: Int, to: Int) -> Int64 { distances[from * locationCount + to] }
    /// Travel time from location `from` to location `to`.
    public func duration(from: Int, to: Int) -> Int64 { durations[from * locationCount + to] }
}

/// Why a `ProblemData` could not be built.
public enum ProblemError: Error, Equatable, CustomStringConvertible {
    case matrixShape
    case noDepot
    case noVehicles
    case tooManyDimensions(Int)
    case badLocation(Int)
    case negativeValue(client: Int)
    case badTimeWindow(client: Int)
    case badVehicleType(Int)
    /// A file could not be parsed; the message says where.
    case parse(String)
    /// A field has a value the model does not accept; `field` names it (JSON-path style).
    case invalid(field: String, String)

    public var description: String {
        switch self {
        case .matrixShape: "distance/duration matrices must be square and match the locations"
        case .noDepot: "the problem needs at least one depot"
        case .noVehicles: "the problem needs at least one vehicle type"
        case .tooManyDimensions(let d): "\(d) load dimensions; at most \(ProblemData.maxDimensions) are supported"
        case .badLocation(let l): "location index \(l) out of range"
        case .negativeValue(let c): "client \(c) has a negative amount or service duration"
        case .badTimeWindow(let c): "client \(c) has a time window that ends before it starts"
        case .badVehicleType(let v): "vehicle type \(v) has a negative count or an unknown depot"
        case .parse(let m): m
        case .invalid(let f, let m): "\(f): \(m)"
        }
    }
}
