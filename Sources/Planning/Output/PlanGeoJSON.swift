import Foundation
import Logistics
import RuralPostCore

/// Renders a ``PlanView`` as an RFC 7946 GeoJSON FeatureCollection for GIS tools: a
/// LineString per route (depot → stops → depot, along the roads when the plan was made
/// on a road network, else straight from stop to stop), a Point per stop, one for the depot and
/// one per unassigned stop. Every feature has a `role` property (`route`, `stop`, `depot`,
/// `unassigned`) so a tool can style or filter them; routes and their stops carry the
/// same colour as ``PlanMap`` in `colour`, and in `stroke`/`marker-color` for viewers
/// that follow the simplestyle convention.
public enum PlanGeoJSON {
    /// The GeoJSON text. Keys are sorted so the same plan always gives the same bytes,
    /// which keeps diffs of saved plans readable.
    public static func render(_ plan: PlanView) -> String {
        var features: [[String: Any]] = []
        for (index, route) in plan.routes.enumerated() {
            features.append(routeFeature(route, index: index, depot: plan.depot, travel: plan.travel?.source ?? "greatCircle"))
        }
        for (index, route) in plan.routes.enumerated() {
            let colour = RouteColours.colour(forRouteAt: index)
            for stop in route.stops {
                features.append(feature(point(stop.place), [
                    "role": "stop",
                    "route": route.seq,
                    "vehicle": route.vehicle,
                    "colour": colour,
                    "marker-color": colour,
                    "seq": stop.seq,
                    "trip": stop.trip ?? 1,
                    "kind": stop.kind.rawValue,
                    "code": stop.place.code,
                    "name": stop.place.name,
                    "arrival": stop.arrival,
                    "serviceStart": stop.serviceStart,
                    "departure": stop.departure,
                    "windows": stop.windows,
                    "parcels": stop.parcels,
                    "deliveryGrams": Int(stop.deliveryGrams),
                    "pickupGrams": Int(stop.pickupGrams),
                    "loadAfterGrams": Int(stop.loadAfterGrams),
                ]))
            }
        }
        features.append(feature(point(plan.depot), [
            "role": "depot",
            "code": plan.depot.code,
            "name": plan.depot.name,
        ]))
        for stop in plan.unassigned {
            features.append(feature(point(stop.place), [
                "role": "unassigned",
                "kind": stop.kind.rawValue,
                "code": stop.place.code,
                "name": stop.place.name,
                "parcels": stop.parcels,
                "grams": Int(stop.grams),
                "reason": stop.reason.rawValue,
                "reasonText": UnassignedExplanation.explain(stop.reason),
            ]))
        }
        var collection: [String: Any] = ["type": "FeatureCollection", "features": features]
        if let travel = plan.travel {
            // A foreign member (RFC 7946 section 6.1): which travel model the plan used.
            var info: [String: Any] = ["source": travel.source]
            if let reason = travel.reason { info["reason"] = reason }
            if let version = travel.networkVersion { info["networkVersion"] = Int(version) }
            if let source = travel.networkSource { info["networkSource"] = source }
            collection["travel"] = info
        }
        // Every value above is a string, number, bool, array or dictionary and coordinates are
        // filtered to finite numbers, so serialisation cannot fail; the fallback is only there
        // so a future mistake yields an empty but valid collection instead of a crash.
        guard let data = try? JSONSerialization.data(
            withJSONObject: collection, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return #"{"features":[],"type":"FeatureCollection"}"# }
        return text
    }

    private static func routeFeature(_ route: PlanView.Route, index: Int,
                                      depot: PlanView.Place, travel: String) -> [String: Any] {
        let colour = RouteColours.colour(forRouteAt: index)
        let line: [[Double]]
        if let path = route.path, path.count >= 2 {
            line = path.filter { $0.count == 2 && $0[0].isFinite && $0[1].isFinite }.map { [rounded($0[0]), rounded($0[1])] }
        } else {
            line = route.drivenPlaces(depot: depot).compactMap { position($0) }
        }
        // RFC 7946 needs at least two positions; a route with nothing drawable gets no geometry.
        let geometry: Any = line.count >= 2
            ? ["type": "LineString", "coordinates": line] as [String: Any]
            : NSNull()
        return feature(geometry, [
            "role": "route",
            "route": route.seq,
            "vehicle": route.vehicle,
            "vehicleKind": route.vehicleKind,
            "refrigerated": route.refrigerated,
            "colour": colour,
            "stroke": colour,
            "start": route.start,
            "end": route.end,
            "distanceM": Int(route.distanceM),
            "crowFlyM": Int(route.crowFlyM ?? 0),
            "travel": travel,
            "durationS": Int(route.durationS),
            "costFen": Int(route.costFen),
            "stops": route.stops.count,
            "trips": route.tripCount,
            "tripTimes": (route.trips ?? []).map { "\($0.start)-\($0.end)" },
        ])
    }

    /// [lon, lat] as RFC 7946 orders them, or nil for a coordinate that is not a number
    /// (JSON has no NaN, and one bad row must not lose the whole file).
    private static func position(_ place: PlanView.Place) -> [Double]? {
        guard place.lat.isFinite, place.lon.isFinite else { return nil }
        return [rounded(place.lon), rounded(place.lat)]
    }

    /// Six decimals (about 10 cm), as RFC 7946 section 11.2 suggests: more digits are
    /// noise from geocoding and only make files bigger.
    private static func rounded(_ degrees: Double) -> Double {
        (degrees * 1_000_000).rounded() / 1_000_000
    }

    private static func point(_ place: PlanView.Place) -> Any {
        guard let pos = position(place) else { return NSNull() }
        return ["type": "Point", "coordinates": pos] as [String: Any]
    }

    private static func feature(_ geometry: Any, _ properties: [String: Any]) -> [String: Any] {
        ["type": "Feature", "geometry": geometry, "properties": properties]
    }
}
