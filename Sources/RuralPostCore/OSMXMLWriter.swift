/// A small OpenStreetMap XML (`.osm`, API 0.6) document built in memory: nodes with
/// positions and ways with node lists and tags. Node ids are shared by the ways that
/// meet there, which is what makes a junction in OpenStreetMap.
public struct OSMXMLWriter: Sendable {
    public private(set) var nodes: [GeoPoint] = []
    public private(set) var ways: [(nodes: [Int], tags: [(String, String)])] = []

    public init() {}

    /// Adds a node; returns its id (from 1).
    public mutating func node(_ point: GeoPoint) -> Int {
        nodes.append(point)
        return nodes.count
    }

    /// Adds a way through existing node ids.
    public mutating func way(_ nodeIds: [Int], tags: [(String, String)]) {
        precondition(nodeIds.count >= 2 && nodeIds.allSatisfy { (1...nodes.count).contains($0) })
        ways.append((nodeIds, tags))
    }

    /// The document: nodes, then ways, by ascending id (the order osmium expects).
    public var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"ruralpost demo county\">\n"
        for (index, p) in nodes.enumerated() {
            out += "  <node id=\"\(index + 1)\" version=\"1\" lat=\"\(Self.degrees(p.lat))\" lon=\"\(Self.degrees(p.lon))\"/>\n"
        }
        for (index, way) in ways.enumerated() {
            out += "  <way id=\"\(index + 1)\" version=\"1\">\n"
            for ref in way.nodes { out += "    <nd ref=\"\(ref)\"/>\n" }
            for (k, v) in way.tags { out += "    <tag k=\"\(Self.escape(k))\" v=\"\(Self.escape(v))\"/>\n" }
            out += "  </way>\n"
        }
        out += "</osm>\n"
        return out
    }

    /// Degrees with seven decimals (about 1 cm, OpenStreetMap's own precision),
    /// printed without Foundation so the text never depends on a locale.
    static func degrees(_ value: Double) -> String {
        let scaled = Int64((value * 10_000_000).rounded())
        let magnitude = scaled.magnitude
        var fraction = String(magnitude % 10_000_000)
        while fraction.count < 7 { fraction = "0" + fraction }
        return (scaled < 0 ? "-" : "") + String(magnitude / 10_000_000) + "." + fraction
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
