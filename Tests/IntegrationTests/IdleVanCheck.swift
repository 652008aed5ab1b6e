import Foundation
import Logistics
import Planning
import RuralPostCore
import Testing

/// Checks a great-circle plan for the waste multi-trip planning exists to avoid: a van
/// back at the depot with shift time and trips to spare while a stop it could serve
/// waits. For every stop left out for lack of vans (capacity, fleet size, time windows,
/// duration), and every van that could take it (refrigerated if it needs cold, its
/// weight within the van's capacity, a trip left), it prices one more trip, depot ->
/// stop -> depot, loading when the van is back (and the stop's parcels are there) for
/// the plan's loading time, then leaving, with
/// its own reading of the documented travel rule (great-circle x road factor, town or
/// rural speed) and service times; that trip must not fit in an opening window and the
/// shift. It shares no code with the solver or the travel matrix.
struct IdleVanCheck {
    let view: PlanView
    /// Shipments that need a refrigerated van, and when each reaches the depot (seconds
    /// after midnight of the plan date; absent: there from the start).
    var cold: Set<Int64> = []
    var ready: [Int64: Int64] = [:]
    var settings = PlanSettings()
    /// Rounding in the planner's integer seconds, never a real trip.
    let slackSeconds: Int64 = 60

    static let forLackOfVans: Set<UnplannedReason> = [.capacity, .fleetSize, .timeWindow, .maxDuration]

    func run() throws {
        let depot = GeoPoint(lat: view.depot.lat, lon: view.depot.lon)
        for stop in view.unassigned where Self.forLackOfVans.contains(stop.reason) {
            let place = GeoPoint(lat: stop.place.lat, lon: stop.place.lon)
            let needsCold = stop.shipments.contains { cold.contains($0) }
            let release = stop.shipments.compactMap { ready[$0] }.max() ?? 0
            let out = travelSeconds(depot, place, depot: depot), back = travelSeconds(place, depot, depot: depot)
            let service = settings.stopServiceSeconds + settings.parcelServiceSeconds * Int64(stop.parcels)
            let windows = try Self.windows(of: stop)
            for route in view.routes where (!needsCold || route.refrigerated) && stop.grams <= route.capacityGrams
                && route.tripCount < (route.maxTrips ?? 1) {
                let shiftEnd = try Self.seconds(String(route.shift.split(separator: "-").last ?? ""))
                let leave = max(try Self.seconds(route.end), release) + Int64(view.loadingMinutes ?? 0) * 60
                let arrive = leave + out
                guard let start = windows.compactMap({ w -> Int64? in
                    let s = max(arrive, w.lowerBound)
                    return s <= w.upperBound ? s : nil
                }).min() else { continue }
                let home = start + service + back
                #expect(home + slackSeconds > shiftEnd,
                        "\(stop.place.code) waits (\(stop.reason.rawValue)) though \(route.vehicle), back at \(route.end), could serve it at \(ClockTime.hhmm(start)) and be back by \(ClockTime.hhmm(home)) (shift \(route.shift))")
            }
        }
    }

    /// The documented great-circle rule: distance x road factor, at town speed when both
    /// ends are within the town radius of the depot, rural speed otherwise.
    func travelSeconds(_ a: GeoPoint, _ b: GeoPoint, depot: GeoPoint) -> Int64 {
        let metres = a.distanceKm(to: b) * 1000 * settings.roadFactor
        let inTown = a.distanceKm(to: depot) <= settings.townRadiusKm && b.distanceKm(to: depot) <= settings.townRadiusKm
        let speed = (inTown ? settings.townSpeedKmh : settings.ruralSpeedKmh) / 3.6
        return Int64(metres / speed)
    }

    /// The stop's opening intervals that day, from the plan (`HH:MM-HH:MM`).
    static func windows(of stop: PlanView.Unassigned) throws -> [ClosedRange<Int64>] {
        let text = try #require(stop.windows, "\(stop.place.code) has no windows in the plan")
        return try text.map { w in
            let ends = w.split(separator: "-").map(String.init)
            guard ends.count == 2 else { throw DomainError.internalError("bad window \(w)") }
            return try seconds(ends[0])...seconds(ends[1])
        }
    }

    static func seconds(_ hhmm: String) throws -> Int64 {
        let parts = hhmm.split(separator: ":").compactMap { Int64($0) }
        guard parts.count == 2 else { throw DomainError.internalError("bad clock \(hhmm)") }
        return parts[0] * 3600 + parts[1] * 60
    }
}
