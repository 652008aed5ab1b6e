import Foundation

/// Writes solutions in VRPLIB form (`Route #1: 3 7 1`, then `Cost <value>`) and as JSON.
public enum SolutionWriter {
    /// VRPLIB solution text; clients carry the instance's own numbers, depots are left out.
    public static func vrplib(_ solution: Solution, problem: LoadedProblem) -> String {
        var out = ""
        for (k, r) in solution.routes.enumerated() {
            out += "Route #\(k + 1): " + r.clients.map { String(problem.clientLabels[$0]) }.joined(separator: " ") + "\n"
        }
        out += "Cost " + formatCost(problem.reportedCost(solution), problem) + "\n"
        return out
    }

    static func formatCost(_ c: Double, _ p: LoadedProblem) -> String {
        p.format == .solomon ? String(format: "%.2f", c) : (c == c.rounded() ? String(Int64(c)) : String(c))
    }

    /// A JSON document with the routes (schedules included), unassigned clients and totals.
    public static func json(_ solution: Solution, problem: LoadedProblem) -> String {
        func visit(_ v: Visit) -> [String: Any] {
            ["client": problem.clientLabels[v.client], "name": problem.data.clients[v.client].name,
             "arrival": v.arrival, "serviceStart": v.serviceStart, "departure": v.departure, "loadAfter": v.loadAfter]
        }
        let routes: [[String: Any]] = solution.routes.map { r in
            ["vehicleType": r.vehicleType, "vehicle": r.vehicle,
             "clients": r.clients.map { problem.clientLabels[$0] }, "visits": r.visits.map(visit),
             "startTime": r.startTime, "endTime": r.endTime, "startLoad": r.startLoad,
             "distance": r.distance, "duration": r.duration, "cost": r.cost]
        }
        let unassigned: [[String: Any]] = solution.unassigned.map {
            ["client": problem.clientLabels[$0.client], "name": problem.data.clients[$0.client].name,
             "reason": $0.reason.rawValue, "required": $0.required]
        }
        let doc: [String: Any] = [
            "instance": problem.name, "cost": problem.reportedCost(solution), "internalCost": solution.cost,
            "distance": solution.distance, "duration": solution.duration, "prizesLost": solution.prizesLost,
            "feasible": solution.isFeasible, "complete": solution.isComplete, "vehicles": solution.routes.count,
            "routes": routes, "unassigned": unassigned, "iterations": solution.iterations,
            "runtime": (solution.runtime * 1000).rounded() / 1000,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
