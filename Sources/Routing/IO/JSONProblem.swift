import Foundation

/// The RuralPost JSON problem format (documented in docs/solver.md).
enum JSONProblem {
    struct File: Decodable {
        var name: String?
        var locations: [Point]?
        var distanceMatrix: [[Int64]]?
        var durationMatrix: [[Int64]]?
        var depots: [DepotJSON]
        var clients: [ClientJSON]
        var vehicleTypes: [VehicleJSON]
    }
    struct Point: Decodable { var x: Double; var y: Double }
    struct DepotJSON: Decodable { var location: Int; var name: String? }
    struct ClientJSON: Decodable {
        var location: Int
        var delivery: [Int64]?
        var pickup: [Int64]?
        var service: Int64?
        var timeWindows: [[Int64]]?
        var required: Bool?
        var prize: Int64?
        var skills: [String]?
        var name: String?
        var releaseTime: Int64?
    }
    struct VehicleJSON: Decodable {
        var count: Int
        var capacity: [Int64]
        var startDepot: Int?
        var endDepot: Int?
        var shift: [Int64]?
        var maxDuration: Int64?
        var maxDistance: Int64?
        var fixedCost: Int64?
        var unitDistanceCost: Int64?
        var unitDurationCost: Int64?
        var skills: [String]?
        var name: String?
        var reloadDepots: [Int]?
        var maxReloads: Int?
    }

    static func window(_ w: [Int64], _ what: String) throws -> Window {
        guard w.count == 2, w[0] <= w[1] else { throw ProblemError.parse("JSON problem: \(what) must be [start, end]") }
        return Window(start: w[0], end: w[1])
    }

    static func parse(_ text: String, name: String) throws -> LoadedProblem {
        let f: File
        do {
            f = try JSONDecoder().decode(File.self, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw ProblemError.parse("JSON problem: missing '\(key.stringValue)' at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw ProblemError.parse("JSON problem: wrong type at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw ProblemError.parse("JSON problem: \(error.localizedDescription)")
        }
        let clients = try f.clients.enumerated().map { i, c in
            Client(
                location: c.location, delivery: c.delivery ?? [], pickup: c.pickup ?? [], serviceDuration: c.service ?? 0,
                timeWindows: try (c.timeWindows ?? []).map { try window($0, "clients[\(i)].timeWindows") },
                required: c.required ?? true, prize: c.prize ?? 0, skills: Set(c.skills ?? []), name: c.name ?? String(i),
                releaseTime: c.releaseTime ?? 0)
        }
        let vts = try f.vehicleTypes.enumerated().map { i, v in
            VehicleType(
                count: v.count, capacity: v.capacity, startDepot: v.startDepot ?? 0, endDepot: v.endDepot,
                shift: try v.shift.map { try window($0, "vehicleTypes[\(i)].shift") } ?? .unbounded,
                maxDuration: v.maxDuration, maxDistance: v.maxDistance, fixedCost: v.fixedCost ?? 0,
                unitDistanceCost: v.unitDistanceCost ?? 1, unitDurationCost: v.unitDurationCost ?? 0,
                skills: Set(v.skills ?? []), name: v.name ?? "", reloadDepots: v.reloadDepots ?? [],
                maxReloads: v.maxReloads)
        }
        let depots = f.depots.map { Depot(location: $0.location, name: $0.name ?? "") }
        let coords = f.locations?.map { (x: $0.x, y: $0.y) }
        let data: ProblemData
        if let d = f.distanceMatrix {
            data = try ProblemData(
                distances: d, durations: f.durationMatrix, depots: depots, clients: clients, vehicleTypes: vts,
                coordinates: coords)
        } else if let c = coords {
            data = try ProblemData(coordinates: c, depots: depots, clients: clients, vehicleTypes: vts)
        } else {
            throw ProblemError.parse("JSON problem: needs 'distanceMatrix' or 'locations'")
        }
        return LoadedProblem(
            name: f.name ?? name, format: .json, data: data, clientLabels: Array(0..<clients.count), costScale: 1,
            coordinates: coords)
    }
}
