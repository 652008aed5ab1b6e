import Logistics
import RuralPostCore

extension PlanMap {
    /// The legend beside the map: one line per route in its colour, then the marker shapes.
    /// It is HTML rather than part of the SVG so it can never cover a stop.
    static func legend(_ plan: PlanView) -> String {
        let esc = PlanFormat.html
        var out = "<aside class=\"legend\">\n<h2>Legend</h2>\n"
        if !plan.routes.isEmpty {
            out += "<ul>\n"
            for (index, route) in plan.routes.enumerated() {
                let colour = RouteColours.colour(forRouteAt: index)
                // The text sits in one span: as loose flex items its pieces would wrap apart.
                out += "<li><span class=\"swatch\" style=\"background:\(colour)\"></span><span>"
                out += "<a href=\"#route-\(index + 1)\">Route \(route.seq)</a> · \(esc(route.vehicle))"
                out += " · \(route.stops.count) stops · \(PlanFormat.km(route.distanceM)) km</span></li>\n"
            }
            out += "</ul>\n"
        }
        let star = starPoints(x: 9, y: 9, outer: 8, inner: 3.5)
        out += """
        <ul>
        <li><svg width="18" height="18"><polygon points="\(star)" fill="#111"/></svg>Depot</li>
        <li><svg width="18" height="18"><rect x="1" y="1" width="16" height="16" rx="2" fill="#555"/></svg>Pickup point (number = stop order)</li>
        <li><svg width="18" height="18"><circle cx="9" cy="9" r="8" fill="#555"/></svg>Home delivery</li>
        <li><svg width="18" height="18"><path d="M3 3L15 15M3 15L15 3" stroke="#8a8f98" stroke-width="3" stroke-linecap="round"/></svg>Not planned (see table below)</li>
        </ul>
        <p class="hint">Hover a stop for its details.</p>
        </aside>

        """
        return out
    }
}
