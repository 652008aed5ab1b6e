import Testing

@testable import RuralPostCore

/// The demo county's OpenStreetMap file: reproducible, and it has the features the
/// demo is about (two bridges, one pass, a node at every place a van must stop).
@Suite struct DemoRoadsTests {
    static func count(_ needle: String, in text: String) -> Int {
        text.split(separator: "\n").filter { $0.contains(needle) }.count
    }

    @Test func sameSeedSameBytesOtherSeedOtherRoads() {
        let county = DemoCounty.generate(seed: 1, orders: 300)
        let a = DemoRoads.osmXML(for: county, seed: 1), b = DemoRoads.osmXML(for: county, seed: 1)
        #expect(a == b)
        let other = DemoRoads.osmXML(for: DemoCounty.generate(seed: 2, orders: 300), seed: 2)
        #expect(a != other)
    }

    @Test func riverWithTwoBridgesAndOnePass() {
        let county = DemoCounty.generate(seed: 1, orders: 300)
        let xml = DemoRoads.osmXML(for: county, seed: 1)
        #expect(Self.count("k=\"bridge\" v=\"yes\"", in: xml) == 2)
        #expect(Self.count("v=\"Yunling Pass Road\"", in: xml) == 1)
        #expect(Self.count("k=\"waterway\" v=\"river\"", in: xml) == 1)
        #expect(xml.hasPrefix("<?xml") && xml.hasSuffix("</osm>\n"))
    }

    @Test func everyStopIsANodeOfTheNetwork() {
        let county = DemoCounty.generate(seed: 4, orders: 500)
        let xml = DemoRoads.osmXML(for: county, seed: 4)
        let positions = Set(xml.split(separator: "\n").filter { $0.contains("<node ") }.map { line -> String in
            let lat = line.split(separator: "lat=\"")[1].prefix { $0 != "\"" }, lon = line.split(separator: "lon=\"")[1].prefix { $0 != "\"" }
            return "\(lat) \(lon)"
        })
        var places = county.pickupPoints.filter { $0.kind != "locker" }.map(\.place.location) + [county.depot.location]
        places += county.orders.filter { $0.pickupPoint == nil }.map(\.location)
        for p in places {
            #expect(positions.contains("\(OSMXMLWriter.degrees(p.lat)) \(OSMXMLWriter.degrees(p.lon))"), "no road node at \(p)")
        }
    }

    @Test func degreesPrintWithSevenDecimalsWithoutALocale() {
        #expect(OSMXMLWriter.degrees(28.62) == "28.6200000")
        #expect(OSMXMLWriter.degrees(-0.00000004) == "0.0000000")
        #expect(OSMXMLWriter.degrees(-109.123456789) == "-109.1234568")
    }
}
