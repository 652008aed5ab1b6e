import Foundation
import RuralPostCore
import Logistics

/// Distances and times between a plan's locations (0 = the depot, then one per
/// candidate stop), and where they came from: shortest paths on the road network
/// when one covers the depot, else the great-circle estimate. `--matrix` legs replace
/// either. Locations the network cannot serve are named with the reason instead of
/// being given a made-up number.
struct TravelMatrix: Sendable {
    let count: Int
    /// The locations, depot first.
    let locations: [GeoPoint]
    /// Row-major metres and seconds; -1 where no road leads (only in `problems` rows).
    var distances: [Int64]
    var durations: [Int64]
    /// Location index -> reason code (`offRoad`, `unreachable`): not plannable.
    var problems: [Int: UnplannedReason] = [:]
    var travel: PlanView.Travel
    /// Set on a road-network matrix: what leg geometry needs.
    var network: (version: Int64, snaps: [RoadNetworkStore.Snap?])?

    func distance(_ i: Int, _ j: Int) -> Int64 { distances[i * count + j] }
    func duration(_ i: Int, _ j: Int) -> Int64 { durations[i * count + j] }

    /// Builds the matrix for `locations` (depot first).
    static func build(locations: [GeoPoint], codes: [String], settings: PlanSettings, overrides: TravelOverrides,
                      roads: RoadNetworkStore) async throws -> TravelMatrix {
        var matrix = try await roadMatrix(locations: locations, settings: settings, roads: roads)
        matrix.applyOverrides(overrides, codes: codes)
        matrix.findProblems()
        return matrix
    }

    /// The network matrix, or a great-circle matrix saying why the network was not used.
    static func roadMatrix(locations: [GeoPoint], settings: PlanSettings, roads store: RoadNetworkStore) async throws -> TravelMatrix {
        guard settings.useRoadNetwork else {
            return greatCircle(locations: locations, settings: settings, reason: "the road network was not used (--great-circle)")
        }
        guard let network = try await store.active() else {
            return greatCircle(locations: locations, settings: settings, reason: "no road network has been imported")
        }
        let depot = locations[0]
        let snaps = try await store.snap(version: network.version, locations, maxMetres: settings.snapMaxMetres)
        guard try await store.covers(version: network.version, depot), snaps[0] != nil else {
            return greatCircle(locations: locations, settings: settings,
                               reason: "the depot is outside road network v\(network.version) (\(network.sourceName)) or more than "
                                   + "\(Int(settings.snapMaxMetres)) m from its roads")
        }
        let roads = try await store.matrix(version: network.version, snaps: snaps)
        var matrix = TravelMatrix(
            count: locations.count, locations: locations, distances: roads.metres, durations: roads.seconds,
            travel: PlanView.Travel(source: "roadNetwork", networkVersion: network.version, networkSource: network.sourceName,
                                    matrixSeconds: roads.cached ? 0 : roads.computeSeconds, matrixCached: roads.cached,
                                    snapMaxMetres: settings.snapMaxMetres),
            network: (network.version, snaps))
        for i in 1..<max(1, locations.count) where snaps[i] == nil { matrix.problems[i] = .offRoad }
        return matrix
    }

    /// Great-circle distance x road factor, at town speed when both ends are within the
    /// town radius of the depot and rural speed otherwise.
    static func greatCircle(locations: [GeoPoint], settings: PlanSettings, reason: String) -> TravelMatrix {
        let n = locations.count
        var distances = [Int64](repeating: 0, count: n * n), durations = [Int64](repeating: 0, count: n * n)
        let depot = locations[0]
        for i in 0..<n {
            for j in 0..<n where i != j {
                let metres = locations[i].distanceKm(to: locations[j]) * settings.roadFactor * 1000
                let inTown = locations[i].distanceKm(to: depot) <= settings.townRadiusKm
                    && locations[j].distanceKm(to: depot) <= settings.townRadiusKm
                let speed = (inTown ? settings.townSpeedKmh : settings.ruralSpeedKmh) / 3.6
                distances[i * n + j] = Int64(metres.rounded())
                durations[i * n + j] = Int64((metres / speed).rounded())
            }
        }
        return TravelMatrix(count: n, locations: locations, distances: distances, durations: durations,
                            travel: PlanView.Travel(source: "greatCircle", reason: reason))
    }

    /// Measured legs from the `--matrix` file win over the network and the estimate.
    mutating func applyOverrides(_ overrides: TravelOverrides, codes: [String]) {
        for i in 0..<count {
            for j in 0..<count where i != j {
                if let given = overrides.leg(from: codes[i], to: codes[j]) {
                    distances[i * count + j] = given.metres
                    durations[i * count + j] = given.seconds
                    travel.overriddenLegs += 1
                }
            }
        }
    }

    /// A stop the van cannot reach from the depot, or cannot leave to return, is
    /// `unreachable` (one-way traps, islands). With every remaining stop reachable both
    /// ways, every pair among them is reachable too (through the depot at worst).
    mutating func findProblems() {
        guard count > 1 else { return }
        for i in 1..<count where problems[i] == nil {
            if distance(0, i) < 0 || distance(i, 0) < 0 { problems[i] = .unreachable }
        }
    }
}
