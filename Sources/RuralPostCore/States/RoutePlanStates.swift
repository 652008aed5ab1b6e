/// A route plan from job to committed plan (`route_plans.status`).
public enum RoutePlanStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, draft, committed, failed, superseded
}

/// What a stop of a route is (`PlanView.Stop.kind`).
public enum StopKind: String, Sendable, Codable, CaseIterable {
    case pickupPoint = "pickup_point"
    case home
}

/// Why a stop of the day is not in a plan (`PlanView.Unassigned.reason`).
public enum UnplannedReason: String, Sendable, Codable, CaseIterable {
    /// The point is full: its free slots are taken.
    case slots
    /// The point is closed all day.
    case closed
    /// The depot has no vehicle at all that day.
    case noVehicle
    /// Farther from every road of the road network than the snapping limit.
    case offRoad
    /// No road leads there from the depot and back (one-way traps, islands).
    case unreachable
    /// Reaches the depot on the line-haul after every van's shift has ended.
    case lateArrival
    /// The solver's reasons (Routing's `UnassignedReason`).
    case capacity, timeWindow, skills, maxDuration, maxDistance, fleetSize, notProfitable
}
