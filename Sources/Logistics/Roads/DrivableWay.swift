/// How a delivery van may use an OpenStreetMap way: its road class, the directions it
/// may be driven and the speed in each, or nil when a van may not drive it at all.
public struct DrivableWay: Sendable, Equatable {
    public let roadClass: String
    public let name: String?
    /// km/h along the way's node order; nil: not allowed that way.
    public let forwardKmh: Double?
    /// km/h against the node order; nil: not allowed that way.
    public let backwardKmh: Double?
    /// Whether a `maxspeed` tag set the speed.
    public let speedFromTag: Bool

    /// Values of `access`, `vehicle`, `motor_vehicle`, `motorcar` that shut a van out.
    /// `private`, `destination`, `delivery` and `customers` do not: a van delivering to
    /// a farmstead is exactly the traffic those roads admit.
    static let closed: Set<String> = ["no", "agricultural", "forestry", "emergency", "military", "bus", "psv", "permit"]

    /// The van's use of a way with `tags`, or nil (not a road class of `speeds`, closed
    /// to motor vehicles, an area, a reversible lane, under construction).
    public static func classify(_ tags: [String: String], speeds: RoadSpeeds) -> DrivableWay? {
        guard let highway = tags["highway"], speeds.kmh[highway] != nil else { return nil }
        if tags["area"] == "yes" { return nil }
        // The most specific access tag present decides.
        for key in ["motorcar", "motor_vehicle", "vehicle", "access"] {
            if let value = tags[key] {
                if closed.contains(value) { return nil }
                break
            }
        }
        if tags["service"] == "emergency_access" { return nil }

        var forward = true, backward = true
        let implied = tags["junction"] == "roundabout" || tags["junction"] == "circular"
            || highway == "motorway" || highway == "motorway_link"
        switch tags["oneway"] {
        case "yes", "true", "1": backward = false
        case "-1", "reverse": forward = false
        case "reversible", "alternating": return nil
        case "no", "false", "0": break
        default: if implied { backward = false }
        }
        guard let general = speeds.speed(roadClass: highway, maxspeed: tags["maxspeed"]) else { return nil }
        let fwd = tags["maxspeed:forward"].flatMap { speeds.speed(roadClass: highway, maxspeed: $0) } ?? general
        let bwd = tags["maxspeed:backward"].flatMap { speeds.speed(roadClass: highway, maxspeed: $0) } ?? general
        return DrivableWay(roadClass: highway, name: tags["name"], forwardKmh: forward ? fwd.kmh : nil,
                           backwardKmh: backward ? bwd.kmh : nil,
                           speedFromTag: (forward ? fwd.fromTag : false) || (backward ? bwd.fromTag : false))
    }
}
