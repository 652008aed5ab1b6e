import Routing
import RuralPostCore
import Logistics

/// Puts the road geometry on the routes of a plan made on the road network: each leg is
/// the fastest path the matrix priced (``RoadNetworkStore/legPaths``), from the stop to
/// the road, along the road, and off the road to the next stop.
enum RoadGeometry {
    /// `view.routes[r]` is `solution.routes[r]`, as ``PlanViewBuilder`` builds them.
    static func attach(to view: inout PlanView, problem: PlanProblem, solution: Solution?, roads: RoadNetworkStore) async throws {
        guard let network = problem.travel.network, let solution, !solution.routes.isEmpty else { return }
        let locations = problem.travel.locations
        var legsByRoute: [[RoadNetworkStore.Leg]] = []
        for route in solution.routes {
            // Depot, stops, and the depot again at the end of every trip (a reload).
            var sequence = [0]
            for trip in route.trips {
                sequence += route.visits[trip.visits].map { problem.locationOfStop[$0.client] } + [0]
            }
            legsByRoute.append(zip(sequence, sequence.dropFirst()).map { RoadNetworkStore.Leg(from: $0, to: $1) })
        }
        let paths = try await roads.legPaths(
            version: network.version, snaps: network.snaps, legs: legsByRoute.flatMap { $0 }.map { ($0.from, $0.to) })
        for (r, legs) in legsByRoute.enumerated() {
            var line: [[Double]] = []
            func add(_ lon: Double, _ lat: Double) {
                let point = [(lon * 1e6).rounded() / 1e6, (lat * 1e6).rounded() / 1e6]
                if line.last != point { line.append(point) }
            }
            for leg in legs {
                let from = locations[leg.from], to = locations[leg.to]
                add(from.lon, from.lat)
                for p in paths[leg] ?? [] { add(p.lon, p.lat) }
                add(to.lon, to.lat)
            }
            view.routes[r].path = line
        }
    }
}
