import Foundation

/// Solomon VRPTW files: a vehicle block (number, capacity) and a customer table with
/// coordinates, demand, ready time, due date and service time; customer 0 is the depot.
///
/// Distance and travel time are the double-precision Euclidean distance. Internally they
/// are scaled by `scale`: distances are rounded (for the objective), travel times are
/// rounded up so that a schedule feasible in integers is feasible in doubles too.
enum SolomonReader {
    static let scale = 10_000.0

    static func parse(_ text: String, name: String) throws -> LoadedProblem {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("NUMBER") }),
            i + 1 < lines.count
        else { throw ProblemError.parse("Solomon file: missing VEHICLE NUMBER/CAPACITY block") }
        let head = lines[i + 1].split(separator: " ").compactMap { Int($0) }
        guard head.count >= 2 else { throw ProblemError.parse("Solomon file: bad vehicle line '\(lines[i + 1])'") }
        var rows: [[Double]] = []
        for l in lines[(i + 2)...] {
            let f = l.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            if f.count >= 7 { rows.append(Array(f.prefix(7))) }
        }
        guard rows.count >= 2 else { throw ProblemError.parse("Solomon file: no customers") }
        let n = rows.count
        let xy = rows.map { (x: $0[1], y: $0[2]) }
        var dist = [Int64](repeating: 0, count: n * n), dur = dist
        for a in 0..<n {
            for b in 0..<n where a != b {
                let dx = xy[a].x - xy[b].x, dy = xy[a].y - xy[b].y
                let d = (dx * dx + dy * dy).squareRoot() * scale
                dist[a * n + b] = Int64(d.rounded())
                dur[a * n + b] = Int64(d.rounded(.up))
            }
        }
        func s(_ v: Double) -> Int64 { Int64((v * scale).rounded()) }
        let clients = (1..<n).map { k in
            Client(
                location: k, delivery: [Int64(rows[k][3])], serviceDuration: s(rows[k][6]),
                timeWindows: [Window(start: s(rows[k][4]), end: s(rows[k][5]))], name: String(Int(rows[k][0])))
        }
        let vt = VehicleType(
            count: head[0], capacity: [Int64(head[1])], shift: Window(start: s(rows[0][4]), end: s(rows[0][5])))
        let title = lines.first?.trimmingCharacters(in: .whitespaces) ?? name
        let data = try ProblemData(
            locationCount: n, flatDistances: dist, flatDurations: dur, depots: [Depot(location: 0)],
            clients: clients, vehicleTypes: [vt], coordinates: xy)
        return LoadedProblem(
            name: title.isEmpty ? name : title, format: .solomon, data: data,
            clientLabels: (1..<n).map { Int(rows[$0][0]) }, costScale: scale, coordinates: xy)
    }
}
