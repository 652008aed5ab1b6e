import Foundation
import Logistics
import RuralPostCore

/// Measured travel legs that replace the haversine estimate: a CSV file of
/// `from,to,metres,seconds` rows keyed by location code (the depot's code, a pickup
/// point's code, or `home:<order id>`), e.g. exported from a routing engine.
struct TravelOverrides: Sendable {
    private var legs: [String: (metres: Int64, seconds: Int64)] = [:]

    static let none = TravelOverrides()

    init() {}

    init(csvFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DomainError.invalid(field: "matrix", message: "cannot read \(path)")
        }
        for record in try CSVReader(data: data).records() {
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if record.line == 1 && f.first?.lowercased() == "from" { continue }
            guard f.count == 4, let metres = Int64(f[2]), let seconds = Int64(f[3]), metres >= 0, seconds >= 0 else {
                throw DomainError.invalid(field: "matrix", message: "\(path) line \(record.line): expected from,to,metres,seconds")
            }
            legs[f[0] + "\u{1}" + f[1]] = (metres, seconds)
        }
    }

    func leg(from: String, to: String) -> (metres: Int64, seconds: Int64)? {
        legs[from + "\u{1}" + to]
    }
}
