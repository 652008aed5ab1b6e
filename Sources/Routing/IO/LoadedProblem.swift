/// A problem read from a file, with what is needed to write solutions the way the file's
/// community expects (client numbering, cost precision).
public struct LoadedProblem: Sendable {
    /// The file formats `ProblemReader` understands.
    public enum Format: String, Sendable {
        case vrplib, solomon, json
    }

    /// Instance name (from the file, or its base name).
    public var name: String
    public var format: Format
    public var data: ProblemData
    /// Number written for each client in `.sol` output (VRPLIB: node index with the
    /// depot as 0; Solomon: customer number).
    public var clientLabels: [Int]
    /// Internal units per reported cost unit (Solomon distances are scaled by 10 000).
    public var costScale: Double
    /// Planar coordinates per location when the file had them (used to report Solomon
    /// costs in double precision, exactly as the checker computes them).
    public var coordinates: [(x: Double, y: Double)]?
    /// VRPLIB: the file's vehicle numbers (0-based, file order) of each vehicle type, so
    /// that the k-th `Route` line written is vehicle k. Empty for other formats.
    public var vehicleNumbers: [[Int]]
    /// VRPLIB: the location index written for each depot (reload visits in `.sol` files).
    public var depotLabels: [Int]

    public init(
        name: String, format: Format, data: ProblemData, clientLabels: [Int], costScale: Double,
        coordinates: [(x: Double, y: Double)]?, vehicleNumbers: [[Int]] = [], depotLabels: [Int] = []
    ) {
        self.name = name
        self.format = format
        self.data = data
        self.clientLabels = clientLabels
        self.costScale = costScale
        self.coordinates = coordinates
        self.vehicleNumbers = vehicleNumbers
        self.depotLabels = depotLabels
    }

    /// The objective as the format reports it: integer for VRPLIB and JSON, the sum of
    /// double-precision Euclidean distances (rounded to 2 decimals) for Solomon.
    public func reportedCost(_ solution: Solution) -> Double {
        guard format == .solomon, let c = coordinates else { return Double(solution.cost) / costScale }
        var total = 0.0
        for r in solution.routes {
            let vt = data.vehicleTypes[r.vehicleType]
            var prev = data.depots[vt.startDepot].location
            for v in r.clients + [-1] {
                let loc = v < 0 ? data.depots[vt.endDepot].location : data.clients[v].location
                let dx = c[prev].x - c[loc].x, dy = c[prev].y - c[loc].y
                total += (dx * dx + dy * dy).squareRoot()
                prev = loc
            }
        }
        return (total * 100).rounded() / 100
    }
}
