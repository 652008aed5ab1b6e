import Logistics
import RuralPostCore

/// Plain-language explanations of why the planner left a stop out, for planners who do not
/// know the solver's vocabulary.
enum UnassignedExplanation {
    /// A sentence for the reason of `PlanView.Unassigned.reason`.
    static func explain(_ reason: UnplannedReason) -> String {
        switch reason {
        case .slots:
            return "The pickup point has no free slots; the parcels wait at the depot."
        case .offRoad:
            return "Farther from any road of the network than the snapping limit; check its coordinates."
        case .unreachable:
            return "No road leads there from the depot and back (one-way roads, or an island of the network)."
        case .capacity:
            return "No vehicle had enough weight or volume left to carry it."
        case .timeWindow:
            return "No vehicle could arrive while it is open."
        case .skills:
            return "Needs a refrigerated van and none was free."
        case .maxDuration:
            return "Serving it would make a shift longer than allowed."
        case .maxDistance:
            return "Serving it would make a route longer than the distance limit."
        case .fleetSize:
            return "Not enough vehicles today to serve every stop."
        case .notProfitable:
            return "Serving it today would cost more than the delivery is worth."
        case .noVehicle:
            return "No vehicle is available at this depot on this date."
        case .closed:
            return "The pickup point is closed all day."
        case .lateArrival:
            return "Reaches the depot on the line-haul after every van's shift has ended; it goes out on the next day's plan."
        }
    }
}
