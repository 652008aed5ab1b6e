import Logistics
import Foundation
import Planning
import Routing

/// A one-line progress display on a terminal while the solver runs.
final class PlanProgress: @unchecked Sendable {
    let label: String
    let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastPrint = 0.0

    init(label: String) {
        self.label = label
    }

    /// The solver callback, or nil when standard error is not a terminal.
    var callback: (@Sendable (ProgressInfo) -> Void)? {
        guard isTerminal else { return nil }
        return { [self] info in self.update(info) }
    }

    func update(_ info: ProgressInfo) {
        lock.lock()
        defer { lock.unlock() }
        guard info.elapsed - lastPrint >= 0.25 else { return }
        lastPrint = info.elapsed
        let cost = info.bestCost.map { String(format: "%.2f yuan", Double($0) / 100_000) } ?? "searching"
        let line = String(format: "\r%@: %6.1fs  best %@  iteration %d   ", label, info.elapsed, cost, info.iteration)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// The end-of-run summary of a plan.
enum PlanSummary {
    /// Which travel model the plan used; on roads, road km against crow-fly km.
    static func travelLine(_ view: PlanView) -> String {
        guard let travel = view.travel else { return "travel: great-circle estimate" }
        let road = Double(view.totals.distanceM) / 1000, crow = Double(view.totals.crowFlyM ?? 0) / 1000
        if travel.source == "roadNetwork" {
            let matrix = travel.matrixCached ? "matrix from cache" : String(format: "matrix %.2fs", travel.matrixSeconds)
            return String(format: "travel: road network v%lld (%@, %@): %.1f road km for %.1f crow-fly km (x%.2f)",
                          travel.networkVersion ?? 0, travel.networkSource ?? "", matrix, road, crow, crow > 0 ? road / crow : 0)
        }
        return "travel: great-circle estimate x1.35" + (travel.reason.map { " (\($0))" } ?? "")
            + String(format: ": %.1f km estimated for %.1f crow-fly km", road, crow)
    }

    static func print(_ view: PlanView) {
        let t = view.totals
        Swift.print(String(format: "plan %@ %@ %@: %d routes, %d stops, %d parcels, %.1f km, %.2f yuan (solver %.1fs)",
                           view.planId.map { "#\($0)" } ?? "", view.depot.code, view.date, t.routes, t.stops, t.parcels,
                           Double(t.distanceM) / 1000, Double(t.costFen) / 100, view.solverSeconds))
        Swift.print("  " + travelLine(view))
        if let trips = t.trips, trips > t.routes {
            Swift.print("  trips: \(trips) by \(t.routes) vans (\(trips - t.routes) reload(s) at the depot)")
        }
        for route in view.routes {
            let grams = route.stops.reduce(0) { $0 + $1.deliveryGrams }
            let fullest = (route.trips ?? []).map(\.startLoadGrams).max() ?? route.startLoadGrams
            let trips = (route.trips ?? []).map { "\($0.start)-\($0.end)" }
            Swift.print(String(format: "  route %2d %@ (%@): %d stops, %@ %@, %.1f km, %.0f kg out (fullest trip %.0f%% of capacity)",
                               route.seq, route.vehicle, route.vehicleKind, route.stops.count,
                               route.tripCount == 1 ? "1 trip" : "\(route.tripCount) trips",
                               trips.isEmpty ? "\(route.start)-\(route.end)" : trips.joined(separator: ", "),
                               Double(route.distanceM) / 1000, Double(grams) / 1000,
                               100 * Double(fullest) / Double(max(1, route.capacityGrams))))
        }
        let reasons = Dictionary(grouping: view.unassigned, by: \.reason).map { "\($0.value.count) \($0.key)" }.sorted()
        if !view.unassigned.isEmpty {
            Swift.print("  unassigned: \(t.unassignedStops) stop(s), \(t.parcelsWaiting) parcel(s) wait at the depot (\(reasons.joined(separator: ", ")))")
        }
    }
}
