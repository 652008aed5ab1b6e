import Foundation

/// VRPLIB files, CVRPLIB and PyVRP's dialect of its instance library: `KEY : value`
/// specifications followed by `*_SECTION` blocks.
///
/// Read like PyVRP's `read(path, round_func=...)`: edge weights (EUC_2D, EXACT_2D, FLOOR_2D,
/// CEIL_2D or EXPLICIT in the usual formats), DEMAND/LINEHAUL and BACKHAUL/PICKUP
/// (simultaneous delivery and pickup, several dimensions allowed), SERVICE_TIME(_SECTION),
/// TIME_WINDOW_SECTION (the depot's window is its vehicles' shift), RELEASE_TIME_SECTION,
/// PRIZE_SECTION (a client with a prize is optional), DEPOT_SECTION, and per vehicle
/// (`VEHICLES` of them, or one per client): CAPACITY(_SECTION), VEHICLES_DEPOT_SECTION,
/// VEHICLES_FIXED_COST(_SECTION), VEHICLES_UNIT_DISTANCE_COST(_SECTION),
/// VEHICLES_MAX_DURATION(_SECTION), VEHICLES_MAX_DISTANCE(_SECTION),
/// VEHICLES_RELOAD_DEPOT_SECTION, VEHICLES_MAX_RELOADS(_SECTION). Vehicles with equal
/// attributes form one vehicle type, in file order. `TYPE: VRPB` forbids depot→backhaul
/// and backhaul→linehaul arcs as PyVRP does. CVRPLIB's `DISTANCE` is a maximum route
/// distance when `VEHICLES_MAX_DISTANCE` is absent.
enum VRPLIBReader {
    /// PyVRP's `MAX_VALUE`: the length of an arc that must not be used.
    static let forbiddenArc: Int64 = 1 << 44

    static func parse(_ text: String, name: String, rounding: Rounding = .round) throws -> LoadedProblem {
        let file = try RawFile(text)
        guard let n = file.spec["DIMENSION"].flatMap({ Int($0) }), n > 1 else {
            throw ProblemError.invalid(field: "DIMENSION", "missing or not an integer above 1")
        }
        let r = rounding

        // Nodes.
        let coords = try file.nodeTable("NODE_COORD", n: n)?.map { row -> (x: Double, y: Double) in
            guard row.count >= 2 else { throw ProblemError.invalid(field: "NODE_COORD_SECTION", "needs x and y") }
            return (x: row[0], y: row[1])
        }
        var depotNodes: [Int] = []
        for t in (file.sections["DEPOT"] ?? []).flatMap({ $0 }) {
            guard let v = Int(t) else { throw ProblemError.invalid(field: "DEPOT_SECTION", "bad depot id '\(t)'") }
            if v < 0 { break }
            guard (1...n).contains(v) else { throw ProblemError.invalid(field: "DEPOT_SECTION", "depot \(v) is not a node 1...\(n)") }
            depotNodes.append(v - 1)
        }
        if depotNodes.isEmpty { depotNodes = [0] }
        guard Set(depotNodes).count == depotNodes.count else { throw ProblemError.invalid(field: "DEPOT_SECTION", "repeated depot") }
        let isDepot = Set(depotNodes)
        let clientNodes = (0..<n).filter { !isDepot.contains($0) }

        // Edge weights, then the rounding of the whole matrix.
        let type = (file.spec["EDGE_WEIGHT_TYPE"] ?? "EUC_2D").uppercased()
        var raw = [Double](repeating: 0, count: n * n)
        if type == "EXPLICIT" {
            raw = try explicitWeights(file, n: n)
        } else {
            guard let c = coords else { throw ProblemError.invalid(field: "NODE_COORD_SECTION", "missing (EDGE_WEIGHT_TYPE \(type))") }
            guard ["EUC_2D", "EXACT_2D", "FLOOR_2D", "CEIL_2D"].contains(type) else {
                throw ProblemError.invalid(field: "EDGE_WEIGHT_TYPE", "\(type) is not supported")
            }
            for i in 0..<n {
                for j in 0..<n where i != j {
                    let dx = c[i].x - c[j].x, dy = c[i].y - c[j].y
                    let e = (dx * dx + dy * dy).squareRoot()
                    raw[i * n + j] = type == "CEIL_2D" ? e.rounded(.up) : type == "FLOOR_2D" ? e.rounded(.down) : e
                }
            }
        }
        var dist = try raw.map { try r.apply($0, field: "EDGE_WEIGHT") }

        // Client data.
        let demand = try file.nodeTable("DEMAND", n: n) ?? file.nodeTable("LINEHAUL", n: n) ?? file.nodeTable("DELIVERY", n: n)
        let backhaul = try file.nodeTable("BACKHAUL", n: n) ?? file.nodeTable("PICKUP", n: n)
        let service = try file.nodeTable("SERVICE_TIME", n: n)
        let uniformService = try file.spec["SERVICE_TIME"].map { try number($0, "SERVICE_TIME") }
        let windows = try file.nodeTable("TIME_WINDOW", n: n)
        let release = try file.nodeTable("RELEASE_TIME", n: n)
        let prize = try file.nodeTable("PRIZE", n: n)
        func ints(_ row: [Double]?, _ field: String) throws -> [Int64] {
            try (row ?? []).map { try r.apply($0, field: field) }
        }
        var clients: [Client] = []
        for i in clientNodes {
            let label = "\(i + 1)"
            var w: [Window] = []
            if let tw = windows?[i] {
                guard tw.count >= 2 else { throw ProblemError.invalid(field: "TIME_WINDOW_SECTION", "node \(label) needs start and end") }
                let a = try r.apply(tw[0], field: "TIME_WINDOW_SECTION"), b = try r.apply(tw[1], field: "TIME_WINDOW_SECTION")
                guard a <= b else { throw ProblemError.invalid(field: "TIME_WINDOW_SECTION", "node \(label) ends before it starts") }
                w = [Window(start: a, end: b)]
            }
            let p = try prize.map { try r.apply($0[i].first ?? 0, field: "PRIZE_SECTION") } ?? 0
            let s = try service.map { try r.apply($0[i].first ?? 0, field: "SERVICE_TIME_SECTION") }
                ?? uniformService.map { try r.apply($0, field: "SERVICE_TIME") } ?? 0
            let rel = try release.map { try r.apply($0[i].first ?? 0, field: "RELEASE_TIME_SECTION") } ?? 0
            guard rel >= 0 else { throw ProblemError.invalid(field: "RELEASE_TIME_SECTION", "node \(label) has a negative release time") }
            clients.append(Client(
                location: i, delivery: try ints(demand?[i], "DEMAND_SECTION"), pickup: try ints(backhaul?[i], "BACKHAUL_SECTION"),
                serviceDuration: s, timeWindows: w, required: p == 0, prize: p, name: label, releaseTime: rel))
        }
        if (file.spec["TYPE"] ?? "").uppercased() == "VRPB" {
            // Linehauls before backhauls: no arc from a depot to a backhaul client, none
            // from a backhaul client to a linehaul client.
            let back = clientNodes.filter { (backhaul?[$0].first ?? 0) > 0 }
            let line = clientNodes.filter { (demand?[$0].first ?? 0) > 0 }
            for b in back {
                for d in depotNodes { dist[d * n + b] = forbiddenArc }
                for l in line { dist[b * n + l] = forbiddenArc }
            }
        }

        // Vehicles, then types of equal vehicles.
        let vehicleCount: Int
        if let v = file.spec["VEHICLES"] {
            guard let k = Int(v), k >= 0 else { throw ProblemError.invalid(field: "VEHICLES", "'\(v)' is not a vehicle count") }
            vehicleCount = k
        } else {
            vehicleCount = clientNodes.count
        }
        let perVehicle = { (key: String) throws -> [[Double]]? in try file.vehicleTable(key, vehicles: vehicleCount) }
        let capacities = try perVehicle("CAPACITY")
        let vDepot = try perVehicle("VEHICLES_DEPOT")
        let vFixed = try perVehicle("VEHICLES_FIXED_COST")
        let vUnit = try perVehicle("VEHICLES_UNIT_DISTANCE_COST")
        let vMaxDur = try perVehicle("VEHICLES_MAX_DURATION")
        let vMaxDist = try perVehicle("VEHICLES_MAX_DISTANCE") ?? perVehicle("DISTANCE")
        let vReload = try perVehicle("VEHICLES_RELOAD_DEPOT")
        let vMaxReloads = try perVehicle("VEHICLES_MAX_RELOADS")
        func depotIndex(_ x: Double, _ field: String) throws -> Int {
            guard x == x.rounded(), let k = depotNodes.firstIndex(of: Int(x) - 1) else {
                let shown = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
                throw ProblemError.invalid(field: field, "\(shown) is not a depot of DEPOT_SECTION")
            }
            return k
        }
        struct Attributes: Hashable {
            var capacity: [Int64], depot: Int, reloads: [Int], maxReloads: Int?
            var maxDistance: Int64?, maxDuration: Int64?, fixed: Int64, unit: Int64
        }
        var typeOf: [Attributes: Int] = [:]
        var types: [Attributes] = []
        var numbers: [[Int]] = []
        for k in 0..<vehicleCount {
            var a = Attributes(capacity: [Int64.max / 16], depot: 0, reloads: [], maxReloads: nil, maxDistance: nil,
                               maxDuration: nil, fixed: 0, unit: 1)
            if let c = capacities?[k] {
                a.capacity = try c.map { try r.apply($0, field: "CAPACITY") }
                guard a.capacity.allSatisfy({ $0 >= 0 }) else { throw ProblemError.invalid(field: "CAPACITY", "vehicle \(k + 1): negative") }
            }
            if let d = vDepot?[k].first { a.depot = try depotIndex(d, "VEHICLES_DEPOT_SECTION") }
            if let f = vFixed?[k].first { a.fixed = try r.apply(f, field: "VEHICLES_FIXED_COST") }
            if let u = vUnit?[k].first {
                // Not scaled, as in PyVRP: the distance already is.
                guard u == u.rounded(), u >= 0 else {
                    throw ProblemError.invalid(field: "VEHICLES_UNIT_DISTANCE_COST", "vehicle \(k + 1): \(u) is not a non-negative integer")
                }
                a.unit = Int64(u)
            }
            if let m = vMaxDur?[k].first { a.maxDuration = try r.apply(m, field: "VEHICLES_MAX_DURATION") }
            if let m = vMaxDist?[k].first { a.maxDistance = try r.apply(m, field: "VEHICLES_MAX_DISTANCE") }
            if let rl = vReload?[k] { a.reloads = try rl.map { try depotIndex($0, "VEHICLES_RELOAD_DEPOT_SECTION") } }
            if let m = vMaxReloads?[k].first {
                guard m == m.rounded(), m >= 0 else {
                    throw ProblemError.invalid(field: "VEHICLES_MAX_RELOADS", "vehicle \(k + 1): \(m) is not a non-negative integer")
                }
                a.maxReloads = m > 1e15 ? nil : Int(m)
            }
            if let t = typeOf[a] {
                numbers[t].append(k)
            } else {
                typeOf[a] = types.count
                types.append(a)
                numbers.append([k])
            }
        }
        let vts = try types.map { a -> VehicleType in
            let dn = depotNodes[a.depot]
            var shift = Window.unbounded
            if let tw = windows?[dn], tw.count >= 2 {
                shift = Window(start: try r.apply(tw[0], field: "TIME_WINDOW_SECTION"), end: try r.apply(tw[1], field: "TIME_WINDOW_SECTION"))
            }
            return VehicleType(
                count: numbers[typeOf[a]!].count, capacity: a.capacity, startDepot: a.depot, shift: shift,
                maxDuration: a.maxDuration, maxDistance: a.maxDistance, fixedCost: a.fixed, unitDistanceCost: a.unit,
                name: numbers[typeOf[a]!].map { String($0 + 1) }.joined(separator: ","), reloadDepots: a.reloads,
                maxReloads: a.reloads.isEmpty ? nil : a.maxReloads)
        }
        let locationCoords = try coords.map { c in try c.map { (x: Double(try r.apply($0.x, field: "NODE_COORD_SECTION")), y: Double(try r.apply($0.y, field: "NODE_COORD_SECTION"))) } }
        let data = try ProblemData(
            locationCount: n, flatDistances: dist, flatDurations: dist,
            depots: depotNodes.map { Depot(location: $0, name: String($0 + 1)) }, clients: clients,
            vehicleTypes: vts.isEmpty ? [VehicleType(count: 0, capacity: [0])] : vts, coordinates: locationCoords)
        return LoadedProblem(
            name: file.spec["NAME"] ?? name, format: .vrplib, data: data, clientLabels: clientNodes, costScale: 1,
            coordinates: coords, vehicleNumbers: vts.isEmpty ? [[]] : numbers, depotLabels: depotNodes)
    }

    static func number(_ s: String, _ field: String) throws -> Double {
        guard let v = Double(s) else { throw ProblemError.invalid(field: field, "'\(s)' is not a number") }
        return v
    }

    private static func explicitWeights(_ file: RawFile, n: Int) throws -> [Double] {
        guard let toks = file.sections["EDGE_WEIGHT"] else { throw ProblemError.invalid(field: "EDGE_WEIGHT_SECTION", "missing") }
        let w = try toks.flatMap { $0 }.map { try number(String($0), "EDGE_WEIGHT_SECTION") }
        let format = (file.spec["EDGE_WEIGHT_FORMAT"] ?? "FULL_MATRIX").uppercased()
        var out = [Double](repeating: 0, count: n * n)
        var k = 0
        func next() throws -> Double {
            guard k < w.count else { throw ProblemError.invalid(field: "EDGE_WEIGHT_SECTION", "too short for \(format)") }
            defer { k += 1 }
            return w[k]
        }
        switch format {
        case "FULL_MATRIX":
            for i in 0..<(n * n) { out[i] = try next() }
        case "LOWER_ROW", "LOWER_DIAG_ROW", "UPPER_ROW", "UPPER_DIAG_ROW", "UPPER_COL", "LOWER_COL", "UPPER_DIAG_COL", "LOWER_DIAG_COL":
            let diag = format.contains("DIAG")
            let lower = format.hasPrefix("LOWER") != format.hasSuffix("COL")
            for i in 0..<n {
                let js: Range<Int> = lower ? 0..<(diag ? i + 1 : i) : (diag ? i : i + 1)..<n
                for j in js {
                    let v = try next()
                    out[i * n + j] = v
                    out[j * n + i] = v
                }
            }
        default:
            throw ProblemError.invalid(field: "EDGE_WEIGHT_FORMAT", "\(format) is not supported")
        }
        return out
    }

    /// The file split into specifications and section rows (tokens per line).
    private struct RawFile {
        var spec: [String: String] = [:]
        var sections: [String: [[Substring]]] = [:]

        init(_ text: String) throws {
            var current: String?
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line == "EOF" { continue }
                let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).first.map(String.init) ?? ""
                if first.uppercased().hasSuffix("_SECTION") {
                    let key = String(first.uppercased().dropLast("_SECTION".count))
                    current = key
                    sections[key] = []
                    // Some files put the first values on the header line (DEPOT_SECTION 1 -1).
                    let rest = tokens.dropFirst().filter { $0 != ":" }
                    if !rest.isEmpty { sections[key]!.append(Array(rest)) }
                    continue
                }
                if let c = line.firstIndex(of: ":"), Double(first) == nil, first != "-1" {
                    let key = line[..<c].trimmingCharacters(in: .whitespaces).uppercased()
                    var value = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
                    value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    spec[key] = value
                    current = nil
                    continue
                }
                guard let c = current else {
                    throw ProblemError.invalid(field: "line '\(line.prefix(40))'", "neither a specification nor inside a section")
                }
                sections[c]!.append(tokens)
            }
        }

        /// Rows `id v1 v2 ...` keyed by 1-based node id; nil when the section is absent.
        func nodeTable(_ key: String, n: Int) throws -> [[Double]]? {
            guard let rows = sections[key] else { return nil }
            var out = [[Double]](repeating: [], count: n)
            var seen = 0
            for row in rows {
                let vals = try row.map { try VRPLIBReader.number(String($0), "\(key)_SECTION") }
                guard let idv = vals.first, idv == idv.rounded(), (1...n).contains(Int(idv)) else {
                    throw ProblemError.invalid(field: "\(key)_SECTION", "bad node id '\(row.first ?? "")'")
                }
                out[Int(idv) - 1] = Array(vals.dropFirst())
                seen += 1
            }
            guard seen >= n else { throw ProblemError.invalid(field: "\(key)_SECTION", "\(seen) rows for \(n) nodes") }
            return out
        }

        /// One row of values per vehicle: from `KEY_SECTION` (rows `vehicle v...`) or the
        /// specification `KEY: v` applied to every vehicle; nil when neither is present.
        func vehicleTable(_ key: String, vehicles: Int) throws -> [[Double]]? {
            if let rows = sections[key] {
                var out = [[Double]](repeating: [], count: vehicles)
                var filled = [Bool](repeating: false, count: vehicles)
                for row in rows {
                    let vals = try row.map { try VRPLIBReader.number(String($0), "\(key)_SECTION") }
                    guard let idv = vals.first, idv == idv.rounded(), (1...max(1, vehicles)).contains(Int(idv)), vehicles > 0 else {
                        throw ProblemError.invalid(field: "\(key)_SECTION", "bad vehicle number '\(row.first ?? "")' (VEHICLES: \(vehicles))")
                    }
                    out[Int(idv) - 1] = Array(vals.dropFirst())
                    filled[Int(idv) - 1] = true
                }
                guard filled.allSatisfy({ $0 }) else {
                    throw ProblemError.invalid(field: "\(key)_SECTION", "needs one row per vehicle (VEHICLES: \(vehicles))")
                }
                return out
            }
            if let v = spec[key] {
                let vals = try v.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { try VRPLIBReader.number(String($0), key) }
                return [[Double]](repeating: vals, count: vehicles)
            }
            return nil
        }
    }
}
