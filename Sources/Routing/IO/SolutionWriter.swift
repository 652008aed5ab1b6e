import Foundation

/// Writes solutions in VRPLIB form (`Route #1: 3 7 1`, then `Cost <value>`) and as JSON.
public enum SolutionWriter {
    /// VRPLIB solution text. For VRPLIB problems it follows PyVRP's `read_solution`: the
    /// k-th `Route` line is vehicle k of the file (vehicles of one type are interchangeable,
    /// so a type's used routes take its first vehicle numbers; empty lines stand for unused
    /// vehicles before the last used one), visits are location indices with the depots
    /// first, and a depot index inside a route is a reload. Other formats: one line per
    /// route with the instance's client numbers.
    public static func vrplib(_ solution: Solution, problem: LoadedProblem) -> String {
        var out = ""
        if problem.format == .vrplib && !problem.vehicleNumbers.isEmpty {
            var lines: [Int: String] = [:]
            var used = [Int](repeating: 0, count: problem.vehicleNumbers.count)
            for r in solution.routes.sorted(by: { ($0.vehicleType, $0.vehicle) < ($1.vehicleType, $1.vehicle) }) {
                let k = problem.vehicleNumbers[r.vehicleType][used[r.vehicleType]]
                used[r.vehicleType] += 1
                var visits: [Int] = []
                for (i, t) in r.trips.enumerated() {
                    if i > 0 { visits.append(problem.depotLabels[t.startDepot]) }
                    visits += r.clients[t.visits].map { problem.clientLabels[$0] }
                }
                lines[k] = visits.map(String.init).joined(separator: " ")
            }
            for k in 0..<((lines.keys.max() ?? -1) + 1) {
                out += "Route #\(k + 1): " + (lines[k] ?? "") + "\n"
            }
        } else {
            for (k, r) in solution.routes.enumerated() {
                out += "Route #\(k + 1): " + r.clients.map { String(problem.clientLabels[$0]) }.joined(separator: " ") + "\n"
            }
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
        func trip(_ t: Trip) -> [String: Any] {
            ["startDepot": t.startDepot, "endDepot": t.endDepot, "firstVisit": t.visits.lowerBound,
             "visitCount": t.visits.count, "startTime": t.startTime, "endTime": t.endTime,
             "startLoad": t.startLoad, "endLoad": t.endLoad, "distance": t.distance]
        }
        let routes: [[String: Any]] = solution.routes.map { r in
            ["vehicleType": r.vehicleType, "vehicle": r.vehicle,
             "clients": r.clients.map { problem.clientLabels[$0] }, "visits": r.visits.map(visit),
             "startTime": r.startTime, "endTime": r.endTime, "startLoad": r.startLoad,
             "distance": r.distance, "duration": r.duration, "cost": r.cost, "trips": r.trips.map(trip)]
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
