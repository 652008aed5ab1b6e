import Logistics
import RuralPostCore
import Foundation
import Testing

@testable import Planning

/// The two plan renderers (HTML map and GeoJSON) on a tiny hand-made plan: two routes,
/// five stops, one unassigned stop, and a place name that tries to inject markup.
@Suite struct PlanOutputTests {
    static let hostile = #"Shop <script>alert(1)</script> & "Co""#

    static func place(_ code: String, _ name: String, _ lat: Double, _ lon: Double) -> PlanView.Place {
        PlanView.Place(code: code, name: name, lat: lat, lon: lon)
    }

    static func stop(_ seq: Int, _ kind: StopKind, _ place: PlanView.Place, load: Int64) -> PlanView.Stop {
        PlanView.Stop(
            seq: seq, kind: kind, place: place, arrival: "09:0\(seq)", serviceStart: "09:1\(seq)",
            departure: "09:2\(seq)", windows: ["08:00-11:30", "14:00-19:00"],
            deliveryGrams: 4_200, deliveryCm3: 9_000, pickupGrams: 500, pickupCm3: 1_000,
            parcels: 3, loadAfterGrams: load, loadAfterCm3: 20_000, shipments: [1, 2, 3],
            collections: [])
    }

    static func route(_ seq: Int, _ vehicle: String, _ stops: [PlanView.Stop]) -> PlanView.Route {
        PlanView.Route(
            seq: seq, vehicle: vehicle, vehicleKind: "van", refrigerated: seq == 2,
            capacityGrams: 800_000, capacityCm3: 4_000_000, shift: "day", start: "08:00",
            end: "16:30", startLoadGrams: 300_000, distanceM: 48_250, durationS: 30_600,
            costFen: 12_345, stops: stops)
    }

    static func plan(routes: [PlanView.Route], unassigned: [PlanView.Unassigned]) -> PlanView {
        PlanView(
            planId: 7, depot: place("DEP", "Jishou depot", 28.60, 109.95), date: "2026-11-23",
            seed: 1, timeLimitSeconds: 10, solverSeconds: 2.5, routes: routes,
            unassigned: unassigned,
            totals: PlanView.Totals(
                routes: routes.count, stops: routes.reduce(0) { $0 + $1.stops.count },
                parcels: 15, distanceM: 96_500, costFen: 24_690,
                unassignedStops: unassigned.count, parcelsWaiting: unassigned.reduce(0) { $0 + $1.parcels }))
    }

    static let sample = plan(
        routes: [
            route(1, "VAN-01", [
                stop(1, .pickupPoint, place("PP1", hostile, 28.62, 109.97), load: 280_000),
                stop(2, .home, place("H1", "Wang home", 28.64, 109.99), load: 270_000),
                stop(3, .home, place("H2", "Li home", 28.63, 109.93), load: 260_000),
            ]),
            route(2, "VAN-02", [
                stop(1, .pickupPoint, place("PP2", "Xiangxi store", 28.55, 109.90), load: 250_000),
                stop(2, .home, place("H3", "Zhang home", 28.57, 109.88), load: 240_000),
            ]),
        ],
        unassigned: [
            PlanView.Unassigned(
                kind: .pickupPoint, place: place("PP9", "Full point", 28.70, 110.05), parcels: 4,
                grams: 9_000, reason: .slots, shipments: [9], collections: []),
        ])

    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// True when a coordinate in the SVG came out as NaN or infinity (a division by zero in
    /// the projection, say). Plain `contains("nan")` would hit words like "dominant".
    static func hasNonFiniteNumber(_ html: String) -> Bool {
        html.range(of: #"[=" ,(-](nan|inf)"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    // MARK: HTML

    @Test func htmlIsSelfContained() {
        let html = PlanMap.html(Self.sample)
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func htmlDrawsOnePolylinePerRouteAndOneTablePerRoute() {
        let html = PlanMap.html(Self.sample)
        #expect(Self.count("<polyline", in: html) == 2)
        #expect(Self.count("<table class=\"route-table\"", in: html) == 2)
        #expect(Self.count("<table class=\"unassigned-table\"", in: html) == 1)
        // Each route in its own palette colour, on the map and in the table swatch.
        #expect(html.contains("stroke=\"\(RouteColours.colour(forRouteAt: 0))\""))
        #expect(html.contains("stroke=\"\(RouteColours.colour(forRouteAt: 1))\""))
        // Pickup points are squares, home deliveries circles.
        #expect(Self.count("<rect class=\"stop\"", in: html) == 2)
        #expect(Self.count("<circle class=\"stop\"", in: html) == 3)
    }

    @Test func htmlEscapesHostileNames() {
        let html = PlanMap.html(Self.sample)
        #expect(!html.contains("<script"))
        #expect(!html.contains(Self.hostile))
        #expect(html.contains("Shop &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
    }

    @Test func htmlShowsTotalsAndExplainsReasons() {
        let html = PlanMap.html(Self.sample)
        #expect(html.contains("96.5 km"))
        #expect(html.contains("¥246.90"))
        #expect(html.contains("no free slots"))
        // Load after the first stop of route 1: 280 kg of 800 kg.
        #expect(html.contains("280.0 (35%)"))
        #expect(html.contains("8:30 h"))
    }

    @Test func htmlHandlesAnEmptyPlan() {
        let empty = Self.plan(routes: [], unassigned: [])
        let html = PlanMap.html(empty)
        #expect(!html.contains("<polyline"))
        #expect(!html.contains("route-table"))
        #expect(html.contains("No routes were planned"))
        #expect(!Self.hasNonFiniteNumber(html))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func htmlHandlesAllPointsAtOneCoordinate() {
        let same = Self.place("S", "Same spot", 28.60, 109.95)
        let plan = Self.plan(
            routes: [Self.route(1, "VAN-01", [Self.stop(1, .home, same, load: 1)])], unassigned: [])
        let html = PlanMap.html(plan)
        #expect(Self.count("<polyline", in: html) == 1)
        #expect(!Self.hasNonFiniteNumber(html))
        // The depot sits in the centre of the 1000x700 canvas and the stop, which shares its
        // coordinate, is moved one ring (24 px) above it rather than hidden under the star.
        #expect(html.contains("<circle class=\"stop\" cx=\"500.0\" cy=\"326.0\""))
    }

    // MARK: GeoJSON

    static func features(_ text: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let root = try #require(object as? [String: Any])
        #expect(root["type"] as? String == "FeatureCollection")
        return try #require(root["features"] as? [[String: Any]])
    }

    static func role(_ feature: [String: Any]) -> String? {
        (feature["properties"] as? [String: Any])?["role"] as? String
    }

    @Test func geoJSONHasTheRightFeatures() throws {
        let features = try Self.features(PlanGeoJSON.render(Self.sample))
        #expect(features.count == 2 + 5 + 1 + 1)
        #expect(features.filter { Self.role($0) == "route" }.count == 2)
        #expect(features.filter { Self.role($0) == "stop" }.count == 5)
        #expect(features.filter { Self.role($0) == "depot" }.count == 1)
        let unassigned = features.filter { Self.role($0) == "unassigned" }
        #expect(unassigned.count == 1)
        #expect((unassigned.first?["properties"] as? [String: Any])?["reason"] as? String == "slots")

        let line = try #require(features.first { Self.role($0) == "route" })
        let geometry = try #require(line["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        let coords = try #require(geometry["coordinates"] as? [[Double]])
        // Depot, three stops, depot.
        #expect(coords.count == 5)
        #expect(coords.first == coords.last)
        let props = try #require(line["properties"] as? [String: Any])
        #expect(props["colour"] as? String == RouteColours.colour(forRouteAt: 0))
        #expect(props["stops"] as? Int == 3)
        #expect(props["costFen"] as? Int == 12_345)
    }

    @Test func geoJSONUsesLonLatOrder() throws {
        let features = try Self.features(PlanGeoJSON.render(Self.sample))
        let depot = try #require(features.first { Self.role($0) == "depot" })
        let coords = try #require((depot["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(coords == [109.95, 28.60])
        let hostileStop = try #require(features.first {
            ($0["properties"] as? [String: Any])?["code"] as? String == "PP1"
        })
        let props = try #require(hostileStop["properties"] as? [String: Any])
        #expect(props["name"] as? String == Self.hostile)
        #expect(props["windows"] as? [String] == ["08:00-11:30", "14:00-19:00"])
        let stopCoords = try #require((hostileStop["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(stopCoords == [109.97, 28.62])
    }

    @Test func geoJSONIsDeterministic() {
        #expect(PlanGeoJSON.render(Self.sample) == PlanGeoJSON.render(Self.sample))
        #expect(PlanMap.html(Self.sample) == PlanMap.html(Self.sample))
    }

    @Test func geoJSONHandlesAnEmptyPlan() throws {
        let features = try Self.features(PlanGeoJSON.render(Self.plan(routes: [], unassigned: [])))
        #expect(features.count == 1)
        #expect(Self.role(features[0]) == "depot")
    }

    @Test func badCoordinatesCostOneFeatureNotTheFile() throws {
        var plan = Self.sample
        plan.unassigned[0].place.lat = .nan
        let features = try Self.features(PlanGeoJSON.render(plan))
        let unassigned = try #require(features.first { Self.role($0) == "unassigned" })
        #expect(unassigned["geometry"] is NSNull)
        #expect(!Self.hasNonFiniteNumber(PlanMap.html(plan)))
    }
}
