import Logistics
import RuralPostCore

/// Renders a ``PlanView`` as one self-contained HTML page for planners: a header with the
/// plan's totals, an SVG map of every route, and a table per route plus a table of stops
/// that could not be planned.
///
/// The page has no external references of any kind (no tiles, fonts, scripts or links):
/// depots are rural and planners print the page or open it from a USB stick, often
/// offline. Hover highlighting is plain CSS, so the page needs no JavaScript at all.
public enum PlanMap {
    /// The whole HTML document for `plan`. Pure: the same plan always gives the same bytes.
    public static func html(_ plan: PlanView) -> String {
        let esc = PlanFormat.html
        let title = "Route plan \(plan.date) · \(plan.depot.name)"
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <style>\(style)</style>
        </head>
        <body>

        """
        out += header(plan)
        out += "<section class=\"mapbox\">\n"
        out += svgMap(plan)
        out += legend(plan)
        out += "</section>\n"
        if plan.routes.isEmpty {
            out += "<p class=\"empty\">No routes were planned for this date.</p>\n"
        }
        for (index, route) in plan.routes.enumerated() {
            out += routeTable(route, index: index, depot: plan.depot, roads: plan.travel?.source == "roadNetwork",
                              loadingMinutes: plan.loadingMinutes ?? 0)
        }
        out += unassignedTable(plan.unassigned)
        out += footer(plan)
        out += "</body>\n</html>\n"
        return out
    }

    private static func header(_ plan: PlanView) -> String {
        let esc = PlanFormat.html
        let t = plan.totals
        let stats: [(String, String)] = [
            ("Routes", String(t.routes)),
            ("Stops", String(t.stops)),
            ("Parcels", String(t.parcels)),
            ("Distance", PlanFormat.km(t.distanceM) + " km"),
            ("Crow-fly", t.crowFlyM.map { PlanFormat.km($0) + " km" } ?? "–"),
            ("Cost", PlanFormat.yuan(t.costFen)),
            ("Unassigned stops", String(t.unassignedStops)),
            ("Parcels waiting", String(t.parcelsWaiting)),
        ]
        var out = "<header>\n<h1>Route plan · \(esc(plan.date))</h1>\n"
        out += "<p class=\"depot\">Depot <strong>\(esc(plan.depot.name))</strong> "
        out += "<span class=\"code\">\(esc(plan.depot.code))</span></p>\n"
        out += "<p class=\"travel\">\(esc(travelText(plan.travel)))</p>\n<dl class=\"totals\">\n"
        for (label, value) in stats {
            // Waiting parcels are the number a planner must act on, so they stand out.
            let warn = (label == "Unassigned stops" || label == "Parcels waiting") && value != "0"
            out += "<div\(warn ? " class=\"warn\"" : "")><dt>\(label)</dt><dd>\(value)</dd></div>\n"
        }
        out += "</dl>\n</header>\n"
        return out
    }

    /// Which travel model the plan used, in words.
    static func travelText(_ travel: PlanView.Travel?) -> String {
        guard let travel else { return "Travel: great-circle estimate" }
        if travel.source == "roadNetwork" {
            var text = "Travel: fastest paths on road network v\(travel.networkVersion ?? 0)"
            if let source = travel.networkSource { text += " (\(source))" }
            if travel.overriddenLegs > 0 { text += ", \(travel.overriddenLegs) legs from the matrix file" }
            return text + "; routes are drawn along the roads"
        }
        var text = "Travel: great-circle estimate, routes drawn stop to stop"
        if let reason = travel.reason, !reason.isEmpty { text += " (\(reason))" }
        if travel.overriddenLegs > 0 { text += "; \(travel.overriddenLegs) legs from the matrix file" }
        return text
    }

    private static func footer(_ plan: PlanView) -> String {
        var parts: [String] = []
        if let id = plan.planId { parts.append("plan #\(id)") }
        parts.append("seed \(plan.seed)")
        parts.append("solver \(PlanFormat.fixed(plan.solverSeconds, 1)) s of \(PlanFormat.fixed(plan.timeLimitSeconds, 1)) s")
        return "<footer>\(PlanFormat.html(parts.joined(separator: " · ")))</footer>\n"
    }
}
