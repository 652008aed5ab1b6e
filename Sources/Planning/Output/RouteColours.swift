import Logistics
import RuralPostCore

/// The fixed palette that colours routes, shared by ``PlanMap`` and ``PlanGeoJSON`` so a
/// route is the same colour on the printed map and in any GIS tool the GeoJSON is opened in.
public enum RouteColours {
    /// Twelve colours that stay apart on white paper and on screen. Grey is deliberately
    /// absent: the map uses it for unassigned stops. Light tints are avoided because white
    /// sequence numbers are printed on top of them.
    public static let palette: [String] = [
        "#1f77b4",  // blue
        "#d62728",  // red
        "#2ca02c",  // green
        "#ff7f0e",  // orange
        "#9467bd",  // purple
        "#8c564b",  // brown
        "#e377c2",  // pink
        "#17becf",  // teal
        "#a5a51c",  // olive (darkened so white text stays readable)
        "#393b79",  // indigo
        "#00a087",  // sea green
        "#800000",  // maroon
    ]

    /// The colour of the route at `index` in `PlanView.routes`, cycling after twelve.
    /// Keyed by position rather than `Route.seq` so the first twelve routes of any plan are
    /// always distinct, whatever numbering the planner used.
    public static func colour(forRouteAt index: Int) -> String {
        let n = palette.count
        return palette[((index % n) + n) % n]
    }
}
