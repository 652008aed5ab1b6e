/// A group of identical vehicles.
public struct VehicleType: Sendable, Hashable {
    /// Number of vehicles of this type available.
    public var count: Int
    /// Capacity per load dimension; the load on board never exceeds it.
    public var capacity: [Int64]
    /// Index into `ProblemData.depots` where routes start.
    public var startDepot: Int
    /// Index into `ProblemData.depots` where routes end.
    public var endDepot: Int
    /// Routes leave the start depot no earlier than `shift.start` and reach the end depot
    /// no later than `shift.end`.
    public var shift: Window
    /// Upper bound on a route's duration (travel + service + waiting), if any.
    public var maxDuration: Int64?
    /// Upper bound on a route's distance, if any.
    public var maxDistance: Int64?
    /// Paid once per vehicle that is used.
    public var fixedCost: Int64
    /// Paid per unit of distance travelled.
    public var unitDistanceCost: Int64
    /// Paid per unit of route duration.
    public var unitDurationCost: Int64
    /// Skills this vehicle offers (must cover every client's required skills).
    public var skills: Set<String>
    /// Free-form label.
    public var name: String
    /// Depots (indices into `ProblemData.depots`) where this vehicle may return during its
    /// route to unload and reload, starting a new trip. Empty: a single trip.
    public var reloadDepots: [Int]
    /// Largest number of reloads (trips beyond the first) per route; nil = no limit other
    /// than the shift. Ignored without `reloadDepots`.
    public var maxReloads: Int?

    /// Creates a vehicle type; by default costs are distance only.
    public init(
        count: Int, capacity: [Int64], startDepot: Int = 0, endDepot: Int? = nil,
        shift: Window = .unbounded, maxDuration: Int64? = nil, maxDistance: Int64? = nil,
        fixedCost: Int64 = 0, unitDistanceCost: Int64 = 1, unitDurationCost: Int64 = 0,
        skills: Set<String> = [], name: String = "", reloadDepots: [Int] = [], maxReloads: Int? = nil
    ) {
        self.reloadDepots = reloadDepots
        self.maxReloads = maxReloads
        self.count = count
        self.capacity = capacity
        self.startDepot = startDepot
        self.endDepot = endDepot ?? startDepot
        self.shift = shift
        self.maxDuration = maxDuration
        self.maxDistance = maxDistance
        self.fixedCost = fixedCost
        self.unitDistanceCost = unitDistanceCost
        self.unitDurationCost = unitDurationCost
        self.skills = skills
        self.name = name
    }
}
