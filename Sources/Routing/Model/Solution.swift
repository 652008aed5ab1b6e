/// Why a client is not in any route.
public enum UnassignedReason: String, Sendable, Codable, Hashable {
    /// Its delivery or pickup exceeds the capacity of every vehicle that could serve it.
    case capacity
    /// No vehicle can reach it within its time windows (and get back within the shift).
    case timeWindow
    /// No vehicle has the skills it requires.
    case skills
    /// Serving it alone would exceed every eligible vehicle's maximum route duration.
    case maxDuration
    /// Serving it alone would exceed every eligible vehicle's maximum route distance.
    case maxDistance
    /// It could be served alone, but not together with the others with the vehicles available.
    case fleetSize
    /// Optional client whose prize does not pay for the detour.
    case notProfitable
}

/// One stop of a route.
public struct Visit: Sendable, Hashable {
    /// Index into `ProblemData.clients`.
    public var client: Int
    /// Arrival time at the client.
    public var arrival: Int64
    /// Start of service (arrival plus any waiting).
    public var serviceStart: Int64
    /// Departure (service start plus service duration).
    public var departure: Int64
    /// Load on board after the visit, per dimension.
    public var loadAfter: [Int64]
}

/// One trip of a route: leave a depot loaded, serve clients, come back to a depot. A route
/// without reloads has one trip; each reload visit ends a trip and starts the next.
public struct Trip: Sendable, Hashable {
    /// Depot the trip leaves from (index into `ProblemData.depots`): the vehicle type's
    /// start depot for the first trip, the reload depot for later ones.
    public var startDepot: Int
    /// Depot the trip returns to: a reload depot, or the end depot for the last trip.
    public var endDepot: Int
    /// The trip's visits as positions in `Route.visits` (and `Route.clients`).
    public var visits: Range<Int>
    /// Departure from `startDepot` (never before the release time of any of its clients).
    public var startTime: Int64
    /// Arrival at `endDepot`.
    public var endTime: Int64
    /// Load on board when leaving, per dimension (the trip's deliveries).
    public var startLoad: [Int64]
    /// Load on board when coming back, per dimension (the trip's pickups).
    public var endLoad: [Int64]
    /// Distance driven on this trip.
    public var distance: Int64
}

/// A vehicle's route: start depot, visits in order, end depot.
public struct Route: Sendable, Hashable {
    /// Index into `ProblemData.vehicleTypes`.
    public var vehicleType: Int
    /// Which vehicle of that type (0-based).
    public var vehicle: Int
    /// Client indices in visiting order.
    public var clients: [Int]
    /// Schedule and load per visit, same order as `clients`.
    public var visits: [Visit]
    /// Departure from the start depot.
    public var startTime: Int64
    /// Arrival at the end depot.
    public var endTime: Int64
    /// Load on board when leaving the start depot, per dimension.
    public var startLoad: [Int64]
    /// Total distance.
    public var distance: Int64
    /// Total duration (end - start).
    public var duration: Int64
    /// Fixed + distance + duration cost of this route.
    public var cost: Int64
    /// The route's trips in order (one unless the vehicle reloads); their visits
    /// partition `visits`.
    public var trips: [Trip]
    /// Number of reloads (trips beyond the first).
    public var reloads: Int { max(0, trips.count - 1) }
}

/// A client left out of every route, with the reason.
public struct UnassignedClient: Sendable, Hashable {
    /// Index into `ProblemData.clients`.
    public var client: Int
    /// Why it is not served.
    public var reason: UnassignedReason
    /// Whether the client was required.
    public var required: Bool
}

/// The result of `solve`: routes that respect every hard constraint, plus the clients
/// that could not (or should not) be served.
public struct Solution: Sendable {
    /// Non-empty routes.
    public var routes: [Route]
    /// Clients not served, each with a reason.
    public var unassigned: [UnassignedClient]
    /// Objective: fixed + distance + duration costs + prizes of skipped optional clients
    /// (required clients left unassigned are not priced; check `isComplete`).
    public var cost: Int64
    /// Sum of route distances.
    public var distance: Int64
    /// Sum of route durations.
    public var duration: Int64
    /// Prizes of optional clients not served.
    public var prizesLost: Int64
    /// Every route respects capacity, time windows, skills, shift, max duration/distance
    /// and the fleet size (always true for solutions returned by `solve`).
    public var isFeasible: Bool
    /// True when every required client is served.
    public var isComplete: Bool
    /// Search iterations (offspring) performed.
    public var iterations: Int
    /// Wall-clock seconds spent in `solve`.
    public var runtime: Double
}

/// Periodic progress report from `solve`.
public struct ProgressInfo: Sendable {
    /// Iterations done so far.
    public var iteration: Int
    /// Seconds since the start.
    public var elapsed: Double
    /// Cost of the best feasible solution so far, if any.
    public var bestCost: Int64?
    /// Sizes of the feasible and infeasible sub-populations.
    public var feasiblePopulation: Int
    public var infeasiblePopulation: Int
}
