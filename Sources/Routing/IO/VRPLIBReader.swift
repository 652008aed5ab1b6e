import Foundation

/// VRPLIB / CVRPLIB files: `KEY : value` specifications followed by `*_SECTION` blocks.
/// Supports EUC_2D (rounded to the nearest integer), EXACT_2D/FLOAT (rounded), CEIL_2D
/// and EXPLICIT matrices (FULL_MATRIX, LOWER_ROW, UPPER_ROW, LOWER_DIAG_ROW,
/// UPPER_DIAG_ROW), DEMAND/DELIVERY and PICKUP/BACKHAUL sections (simultaneous delivery
/// and pickup), SERVICE_TIME and TIME_WINDOW sections, several depots, `VEHICLES` and
/// `DISTANCE` (maximum route distance). Without `VEHICLES` the fleet is unlimited.
enum VRPLIBReader {
    static func parse(_ text: String, name: String) throws -> LoadedProblem {
        var spec: [String: String] = [:]
        var sections: [String: [Substring]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line == "EOF" { continue }
            let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).first.map(String.init) ?? ""
            if first.hasSuffix("_SECTION") {
                current = first
                sections[first] = []
                continue
            }
            if current == nil || (line.contains(":") && Double(first) == nil && first != "-1") {
                if let c = line.firstIndex(of: ":") {
                    let key = line[..<c].trimmingCharacters(in: .whitespaces).uppercased()
                    var value = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
                    value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    spec[key] = value
                    current = nil
                    continue
                }
            }
            if let c = current {
                sections[c, default: []] += line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            }
        }
        guard let n = spec["DIMENSION"].flatMap({ Int($0) }), n > 1 else {
            throw ProblemError.parse("VRPLIB file: missing or bad DIMENSION")
        }
        func numbers(_ key: String) throws -> [Double]? {
            guard let toks = sections[key] else { return nil }
            return try toks.map {
                guard let v = Double($0) else { throw ProblemError.parse("VRPLIB file: bad number '\($0)' in \(key)") }
                return v
            }
        }
        /// Rows of `width` values keyed by 1-based node id.
        func table(_ key: String, width: Int) throws -> [[Double]]? {
            guard let v = try numbers(key) else { return nil }
            guard v.count >= n * (width + 1) else { throw ProblemError.parse("VRPLIB file: \(key) has too few entries") }
            var out = [[Double]](repeating: [Double](repeating: 0, count: width), count: n)
            for r in 0..<n {
                let id = Int(v[r * (width + 1)]) - 1
                guard (0..<n).contains(id) else { throw ProblemError.parse("VRPLIB file: bad node id in \(key)") }
                out[id] = Array(v[(r * (width + 1) + 1)...(r * (width + 1) + width)])
            }
            return out
        }
        let type = (spec["EDGE_WEIGHT_TYPE"] ?? "EUC_2D").uppercased()
        var coords: [(x: Double, y: Double)]?
        if let c = try table("NODE_COORD_SECTION", width: 2) { coords = c.map { (x: $0[0], y: $0[1]) } }
        var dist = [Int64](repeating: 0, count: n * n)
        if type == "EXPLICIT" {
            guard let w = try numbers("EDGE_WEIGHT_SECTION") else { throw ProblemError.parse("VRPLIB file: missing EDGE_WEIGHT_SECTION") }
            let format = (spec["EDGE_WEIGHT_FORMAT"] ?? "FULL_MATRIX").uppercased()
            var k = 0
            func next() throws -> Int64 {
                guard k < w.count else { throw ProblemError.parse("VRPLIB file: EDGE_WEIGHT_SECTION too short for \(format)") }
                defer { k += 1 }
                return Int64(w[k].rounded())
            }
            switch format {
            case "FULL_MATRIX":
                for i in 0..<n { for j in 0..<n { dist[i * n + j] = try next() } }
            case "LOWER_ROW", "LOWER_DIAG_ROW", "UPPER_ROW", "UPPER_DIAG_ROW", "UPPER_COL", "LOWER_COL", "UPPER_DIAG_COL", "LOWER_DIAG_COL":
                let diag = format.contains("DIAG")
                let lower = format.hasPrefix("LOWER") != format.hasSuffix("COL")
                for i in 0..<n {
                    let js: [Int] = lower ? Array(0..<(diag ? i + 1 : i)) : Array((diag ? i : i + 1)..<n)
                    for j in js {
                        let v = try next()
                        dist[i * n + j] = v
                        dist[j * n + i] = v
                    }
                }
            default:
                throw ProblemError.parse("VRPLIB file: EDGE_WEIGHT_FORMAT \(format) not supported")
            }
        } else {
            guard let c = coords else { throw ProblemError.parse("VRPLIB file: missing NODE_COORD_SECTION") }
            for i in 0..<n {
                for j in 0..<n where i != j {
                    let dx = c[i].x - c[j].x, dy = c[i].y - c[j].y
                    let e = (dx * dx + dy * dy).squareRoot()
                    dist[i * n + j] = type == "CEIL_2D" ? Int64(e.rounded(.up)) : Int64(e.rounded())
                }
            }
        }
        let delivery = try table("DEMAND_SECTION", width: 1) ?? table("DELIVERY_SECTION", width: 1)
            ?? table("LINEHAUL_SECTION", width: 1)
        let pickup = try table("PICKUP_SECTION", width: 1) ?? table("BACKHAUL_SECTION", width: 1)
        let service = try table("SERVICE_TIME_SECTION", width: 1)
        let windows = try table("TIME_WINDOW_SECTION", width: 2)
        var depots: [Int] = []
        for t in sections["DEPOT_SECTION"] ?? [] {
            guard let v = Int(t) else { continue }
            if v < 0 { break }
            depots.append(v - 1)
        }
        if depots.isEmpty { depots = [0] }
        guard depots.allSatisfy({ (0..<n).contains($0) }) else { throw ProblemError.parse("VRPLIB file: bad DEPOT_SECTION") }
        let capacity = spec["CAPACITY"].flatMap { Int64($0) } ?? Int64.max / 16
        let clientsIdx = (0..<n).filter { !depots.contains($0) }
        let uniformService = spec["SERVICE_TIME"].flatMap { Double($0) }.map { Int64($0.rounded()) } ?? 0
        let clients = clientsIdx.map { i in
            Client(
                location: i, delivery: [Int64(delivery?[i][0] ?? 0)], pickup: [Int64(pickup?[i][0] ?? 0)],
                serviceDuration: service.map { Int64($0[i][0].rounded()) } ?? uniformService,
                timeWindows: windows.map { [Window(start: Int64($0[i][0].rounded()), end: Int64($0[i][1].rounded()))] } ?? [],
                name: String(i))
        }
        let fleet = spec["VEHICLES"].flatMap { Int($0) } ?? clientsIdx.count
        let maxDistance = spec["DISTANCE"].flatMap { Double($0) }.map { Int64($0.rounded()) }
        let vts = depots.enumerated().map { k, dep in
            VehicleType(
                count: k == 0 ? fleet : (spec["VEHICLES"] == nil ? clientsIdx.count : 0), capacity: [capacity],
                startDepot: k,
                shift: windows.map { Window(start: Int64($0[dep][0].rounded()), end: Int64($0[dep][1].rounded())) } ?? .unbounded,
                maxDistance: maxDistance)
        }
        let data = try ProblemData(
            locationCount: n, flatDistances: dist, flatDurations: dist,
            depots: depots.map { Depot(location: $0, name: String($0)) }, clients: clients, vehicleTypes: vts,
            coordinates: coords)
        return LoadedProblem(
            name: spec["NAME"] ?? name, format: .vrplib, data: data, clientLabels: clientsIdx, costScale: 1,
            coordinates: coords)
    }
}
