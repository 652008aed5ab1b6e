import Logistics
import RuralPostCore

extension PlanMap {
    /// One route as a table: the caption carries the route's facts, the rows its stops in
    /// driving order, bracketed by leaving and returning to the depot, with a depot row
    /// where the van comes back to reload between trips.
    /// `roads`: the plan's distances are road kilometres (else great-circle estimates).
    /// `loadingMinutes`: the van is loaded for that long from each trip's start.
    static func routeTable(_ route: PlanView.Route, index: Int, depot: PlanView.Place, roads: Bool = false,
                           loadingMinutes: Int = 0) -> String {
        let esc = PlanFormat.html
        let colour = RouteColours.colour(forRouteAt: index)
        let facts = [
            esc(route.vehicleKind),
            route.refrigerated ? "refrigerated" : "not refrigerated",
            "shift " + esc(route.shift),
            "\(esc(route.start))–\(esc(route.end))",
            PlanFormat.km(route.distanceM) + " km",
            PlanFormat.hoursMinutes(route.durationS) + " h",
            PlanFormat.yuan(route.costFen),
            "capacity \(PlanFormat.kg(route.capacityGrams)) kg",
        ].joined(separator: " · ") + (route.tripCount > 1 ? " · \(route.tripCount) trips" : "")
        var out = "<section class=\"route\" id=\"route-\(index + 1)\">\n<table class=\"route-table\">\n"
        out += "<caption><span class=\"swatch\" style=\"background:\(colour)\"></span> "
        out += "<strong>Route \(route.seq) · \(esc(route.vehicle))</strong>"
        out += "<span class=\"facts\">\(facts)</span></caption>\n"
        out += "<thead><tr><th class=\"n\">#</th><th>Stop</th><th>Arrival</th><th>Service start</th>"
        out += "<th>Window(s)</th><th class=\"n\">\(roads ? "Road km" : "Est. km")</th><th class=\"n\">Parcels</th><th class=\"n\">Deliver kg</th>"
        out += "<th class=\"n\">Collect kg</th><th class=\"n\">Load after kg</th></tr></thead>\n<tbody>\n"
        let trips = route.trips ?? []
        let multi = trips.count > 1
        let leaves = loadingMinutes > 0 ? "loads \(loadingMinutes) min, leaves" : "leaves"
        out += depotRow(depot, label: multi ? "\(leaves), trip 1" : leaves, time: route.start, km: nil, loadGrams: route.startLoadGrams,
                        capacity: route.capacityGrams)
        for (k, stop) in route.stops.enumerated() {
            if k > 0, let trip = stop.trip, let previous = route.stops[k - 1].trip, trip != previous,
               trips.indices.contains(previous - 1), trips.indices.contains(trip - 1) {
                // Back to the depot: unload produce, reload, out again.
                let done = trips[previous - 1], next = trips[trip - 1]
                let driven = route.stops.filter { $0.trip == previous }.reduce(0) { $0 + ($1.legDistanceM ?? 0) }
                out += depotRow(depot, label: "back to reload", time: done.end, km: done.distanceM - driven,
                                loadGrams: done.endLoadGrams, capacity: route.capacityGrams)
                out += depotRow(depot, label: "\(leaves), trip \(trip)", time: next.start, km: nil, loadGrams: next.startLoadGrams,
                                capacity: route.capacityGrams)
            }
            out += "<tr><td class=\"n\">\(stop.seq)</td>"
            let ready = stop.readyAt.map { " · line-haul parcels from \(esc($0))" } ?? ""
            out += "<td>\(esc(stop.place.name)) <span class=\"code\">\(esc(stop.place.code)) · \(esc(PlanFormat.stopKind(stop.kind)))\(ready)</span></td>"
            out += "<td>\(esc(stop.arrival))</td><td>\(esc(stop.serviceStart))</td>"
            out += "<td>\(stop.windows.isEmpty ? "any time" : esc(stop.windows.joined(separator: ", ")))</td>"
            out += "<td class=\"n\">\(stop.legDistanceM.map(PlanFormat.km) ?? "")</td>"
            out += "<td class=\"n\">\(stop.parcels)</td>"
            out += "<td class=\"n\">\(PlanFormat.kg(stop.deliveryGrams))</td>"
            out += "<td class=\"n\">\(PlanFormat.kg(stop.pickupGrams))</td>"
            out += "<td class=\"n\">\(load(stop.loadAfterGrams, capacity: route.capacityGrams))</td></tr>\n"
        }
        let lastLoad = route.stops.last?.loadAfterGrams ?? route.startLoadGrams
        out += depotRow(depot, label: "returns", time: route.end, km: route.returnDistanceM, loadGrams: lastLoad, capacity: route.capacityGrams)
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }

    private static func depotRow(_ depot: PlanView.Place, label: String, time: String, km: Int64?,
                                 loadGrams: Int64, capacity: Int64) -> String {
        let esc = PlanFormat.html
        return "<tr class=\"depotrow\"><td class=\"n\">–</td><td>Depot \(esc(depot.name)) (\(label))</td>"
            + "<td>\(esc(time))</td><td></td><td></td><td class=\"n\">\(km.map(PlanFormat.km) ?? "")</td><td></td><td></td><td></td>"
            + "<td class=\"n\">\(load(loadGrams, capacity: capacity))</td></tr>\n"
    }

    /// "812.4 (68%)", flagged when over capacity so a planner spots a bad plan at a glance.
    private static func load(_ grams: Int64, capacity: Int64) -> String {
        guard let pct = PlanFormat.percent(grams, of: capacity) else { return PlanFormat.kg(grams) }
        let text = "\(PlanFormat.kg(grams)) (\(pct)%)"
        return grams > capacity ? "<span class=\"over\">\(text)</span>" : text
    }

    /// The stops the planner left out, each with its reason in words.
    static func unassignedTable(_ stops: [PlanView.Unassigned]) -> String {
        let esc = PlanFormat.html
        guard !stops.isEmpty else {
            return "<h2>Not planned</h2>\n<p class=\"empty\">Every stop was planned.</p>\n"
        }
        var out = "<section class=\"unassigned\">\n<h2>Not planned (\(stops.count))</h2>\n"
        out += "<table class=\"unassigned-table\">\n<thead><tr><th>Stop</th><th>Kind</th>"
        out += "<th class=\"n\">Parcels</th><th class=\"n\">Weight kg</th><th>Why</th></tr></thead>\n<tbody>\n"
        for stop in stops {
            out += "<tr><td>\(esc(stop.place.name)) <span class=\"code\">\(esc(stop.place.code))</span></td>"
            out += "<td>\(esc(PlanFormat.stopKind(stop.kind)))</td>"
            out += "<td class=\"n\">\(stop.parcels)</td><td class=\"n\">\(PlanFormat.kg(stop.grams))</td>"
            out += "<td>\(esc(UnassignedExplanation.explain(stop.reason))) <span class=\"code\">\(esc(stop.reason.rawValue))</span></td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }
}
