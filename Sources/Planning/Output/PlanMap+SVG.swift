import Foundation
import Logistics
import RuralPostCore

extension PlanMap {
    /// The inline SVG map: one group per route (line, then its stops), unassigned stops as
    /// grey crosses, the depot on top, and a scale bar.
    static func svgMap(_ plan: PlanView) -> String {
        var points: [(lat: Double, lon: Double)] = [(plan.depot.lat, plan.depot.lon)]
        for route in plan.routes {
            points += route.stops.map { ($0.place.lat, $0.place.lon) }
            // Roads bulge out between stops; the map must hold them too.
            points += (route.path ?? []).compactMap { $0.count == 2 ? ($0[1], $0[0]) : nil }
        }
        points += plan.unassigned.map { ($0.place.lat, $0.place.lon) }
        let proj = MapProjection(points: points)
        let f = { (v: Double) in PlanFormat.fixed(v, 1) }
        let w = f(proj.width), h = f(proj.height)

        // No xmlns attribute: inline SVG in HTML does not need one, and the page promises to
        // contain no URL at all.
        var out = "<svg class=\"map\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
        out += "role=\"img\" aria-label=\"Map of the routes\">\n"

        let depot = place(plan.depot, proj)
        // Positions are worked out before drawing so markers sharing a spot are spread.
        var layout = MarkerLayout(projection: proj, depot: depot)
        let routePositions = plan.routes.map { $0.stops.map { layout.position(of: $0.place) } }
        let unassignedPositions = plan.unassigned.map { layout.position(of: $0.place) }

        // Unassigned first so that planned routes are never hidden under them.
        if !plan.unassigned.isEmpty {
            out += "<g class=\"unassigned\">\n"
            for (stop, position) in zip(plan.unassigned, unassignedPositions) {
                out += unassignedMarker(stop, at: position)
            }
            out += "</g>\n"
        }

        for (index, route) in plan.routes.enumerated() {
            out += routeGroup(route, index: index, depot: depot, positions: routePositions[index], projection: proj)
        }

        if let d = depot {
            let title = PlanFormat.html("Depot: \(plan.depot.name) (\(plan.depot.code))")
            out += "<g class=\"depot\"><title>\(title)</title>"
            out += "<polygon class=\"depotmark\" points=\"\(starPoints(x: d.x, y: d.y, outer: 14, inner: 6))\"/></g>\n"
        }
        out += scaleBar(proj)
        if plan.routes.isEmpty {
            out += "<text class=\"note\" x=\"12\" y=\"20\">No routes planned</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Canvas position of a place, or nil for a coordinate that is not a number (a bad row
    /// should cost one marker, not the whole map).
    static func place(_ p: PlanView.Place, _ proj: MapProjection) -> (x: Double, y: Double)? {
        guard p.lat.isFinite, p.lon.isFinite else { return nil }
        return proj.point(lat: p.lat, lon: p.lon)
    }

    private static func routeGroup(_ route: PlanView.Route, index: Int, depot: (x: Double, y: Double)?,
                                   positions: [(x: Double, y: Double)?], projection: MapProjection) -> String {
        let colour = RouteColours.colour(forRouteAt: index)
        let f = { (v: Double) in PlanFormat.fixed(v, 1) }
        var out = "<g class=\"rt\" id=\"map-route-\(index + 1)\">\n"
        let title = "Route \(route.seq) · \(route.vehicle) · \(route.stops.count) stops · "
            + (route.tripCount > 1 ? "\(route.tripCount) trips · " : "") + "\(PlanFormat.km(route.distanceM)) km"
        out += "<title>\(PlanFormat.html(title))</title>\n"
        var line: [(x: Double, y: Double)] = []
        if let path = route.path, path.count >= 2 {
            // Along the roads, as driven.
            for p in path where p.count == 2 && p[0].isFinite && p[1].isFinite {
                let xy = projection.point(lat: p[1], lon: p[0])
                // Points closer than half a pixel add bytes, not detail.
                if let last = line.last, abs(last.x - xy.x) < 0.5 && abs(last.y - xy.y) < 0.5 { continue }
                line.append(xy)
            }
        } else {
            // Stop to stop, through the depot where the van comes back to reload.
            if let depot { line.append(depot) }
            for (k, position) in positions.enumerated() {
                if k > 0, let depot, route.stops[k].trip != route.stops[k - 1].trip { line.append(depot) }
                if let position { line.append(position) }
            }
            if let depot { line.append(depot) }
        }
        let pts = line.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
        out += "<polyline points=\"\(pts)\" stroke=\"\(colour)\"/>\n"
        for (stop, position) in zip(route.stops, positions) {
            guard let p = position else { continue }
            out += "<g><title>\(PlanFormat.html(stopTooltip(stop, route: route)))</title>"
            if stop.kind == .pickupPoint {
                // Squares for pickup points: they are shops and post offices with slots,
                // visited on a schedule, unlike a one-off home delivery.
                out += "<rect class=\"stop\" x=\"\(f(p.x - 8))\" y=\"\(f(p.y - 8))\" "
                    + "width=\"16\" height=\"16\" rx=\"2\" fill=\"\(colour)\"/>"
            } else {
                out += "<circle class=\"stop\" cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"8.5\" fill=\"\(colour)\"/>"
            }
            out += "<text class=\"seq\" x=\"\(f(p.x))\" y=\"\(f(p.y))\">\(stop.seq)</text></g>\n"
        }
        out += "</g>\n"
        return out
    }

    private static func stopTooltip(_ stop: PlanView.Stop, route: PlanView.Route) -> String {
        var lines = [
            "\(stop.place.name) (\(stop.place.code))",
            "Route \(route.seq) · \(route.vehicle) · stop \(stop.seq) · \(PlanFormat.stopKind(stop.kind))",
            "ETA \(stop.arrival), service \(stop.serviceStart)–\(stop.departure)",
        ]
        if !stop.windows.isEmpty { lines.append("Open \(stop.windows.joined(separator: ", "))") }
        lines.append("Parcels \(stop.parcels) · deliver \(PlanFormat.kg(stop.deliveryGrams)) kg · "
            + "collect \(PlanFormat.kg(stop.pickupGrams)) kg")
        var load = "Load after \(PlanFormat.kg(stop.loadAfterGrams)) kg"
        if let pct = PlanFormat.percent(stop.loadAfterGrams, of: route.capacityGrams) { load += " (\(pct)%)" }
        lines.append(load)
        return lines.joined(separator: "\n")
    }

    private static func unassignedMarker(_ stop: PlanView.Unassigned,
                                         at position: (x: Double, y: Double)?) -> String {
        guard let p = position else { return "" }
        let f = { (v: Double) in PlanFormat.fixed(v, 1) }
        let tip = [
            "Not planned: \(stop.place.name) (\(stop.place.code))",
            "\(PlanFormat.stopKind(stop.kind)) · \(stop.parcels) parcels · \(PlanFormat.kg(stop.grams)) kg",
            UnassignedExplanation.explain(stop.reason),
        ].joined(separator: "\n")
        let r = 6.0
        var out = "<g><title>\(PlanFormat.html(tip))</title>"
        // A transparent disc under the cross makes the thin cross easy to hover.
        out += "<circle class=\"xhit\" cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"9\"/>"
        let (left, right, top, bottom) = (f(p.x - r), f(p.x + r), f(p.y - r), f(p.y + r))
        out += "<path class=\"cross\" d=\"M\(left) \(top)L\(right) \(bottom)M\(left) \(bottom)L\(right) \(top)\"/></g>\n"
        return out
    }

    /// Points of a five-pointed star centred on (x, y), for the depot marker.
    static func starPoints(x: Double, y: Double, outer: Double, inner: Double) -> String {
        (0..<10).map { i -> String in
            let radius = i.isMultiple(of: 2) ? outer : inner
            let angle = -Double.pi / 2 + Double(i) * Double.pi / 5
            return PlanFormat.fixed(x + radius * cos(angle), 1) + ","
                + PlanFormat.fixed(y + radius * sin(angle), 1)
        }.joined(separator: " ")
    }

    /// A bar of a round number of kilometres, at most ~160 px long, in the bottom-left margin.
    private static func scaleBar(_ proj: MapProjection) -> String {
        let steps: [Double] = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        let pxPerKm = proj.pixelsPerKm
        let km = steps.last { $0 * pxPerKm <= 160 } ?? steps[0]
        let len = km * pxPerKm
        let x = 16.0, y = proj.height - 14
        let f = { (v: Double) in PlanFormat.fixed(v, 1) }
        let label = km >= 1 ? "\(Int(km)) km" : "\(Int(km * 1000)) m"
        var out = "<g class=\"scale\">"
        out += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + len))\" y2=\"\(f(y))\"/>"
        out += "<line x1=\"\(f(x))\" y1=\"\(f(y - 5))\" x2=\"\(f(x))\" y2=\"\(f(y + 1))\"/>"
        out += "<line x1=\"\(f(x + len))\" y1=\"\(f(y - 5))\" x2=\"\(f(x + len))\" y2=\"\(f(y + 1))\"/>"
        out += "<text x=\"\(f(x + len + 6))\" y=\"\(f(y + 4))\">\(label)</text></g>\n"
        return out
    }
}
