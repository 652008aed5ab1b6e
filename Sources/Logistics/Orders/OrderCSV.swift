import Foundation
import Persistence
import RuralPostCore

/// Orders from CSV, one row per line: rows sharing `key` form one order, and `key` is
/// its idempotency key (re-importing a file creates nothing twice).
/// Columns: key,merchant,channel,recipient_name,recipient_phone,pickup_point,address,lat,lon,sku,qty[,priority,allow_partial]
public enum OrderCSV {
    public static let required = ["key", "merchant", "channel", "recipient_name", "recipient_phone", "sku", "qty"]
    public static let optional = ["pickup_point", "address", "lat", "lon", "priority", "allow_partial"]

    public struct Entry: Sendable {
        public let key: String
        public let line: Int
        public let order: OrderRequest
    }

    /// Parses the file; problems are reported by line and nothing is returned.
    public static func parse(_ data: Data) throws -> [Entry] {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader(data: data).records()
        } catch let error as CSVReader.FormatError {
            throw CSVImporter.Rejected(problems: [(error.line, error.message)], total: 1)
        }
        guard let header = records.first else { throw CSVImporter.Rejected(problems: [(1, "the file is empty")], total: 1) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        let unknown = names.filter { !required.contains($0) && !optional.contains($0) }
        guard missing.isEmpty, unknown.isEmpty else {
            throw CSVImporter.Rejected(problems: [(1, "missing column(s): \(missing.joined(separator: ", ")); unknown column(s): \(unknown.joined(separator: ", "))")], total: 1)
        }
        var problems: [(Int, String)] = []
        var order: [String] = []
        var byKey: [String: (line: Int, request: OrderRequest)] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append((record.line, "expected \(names.count) fields, found \(record.fields.count)"))
                continue
            }
            var row: [String: String] = [:]
            for (name, value) in zip(names, record.fields) where !value.trimmingCharacters(in: .whitespaces).isEmpty {
                row[name] = value.trimmingCharacters(in: .whitespaces)
            }
            guard let key = row["key"] else { problems.append((record.line, "key is required")); continue }
            guard let qty = row["qty"].flatMap({ Int64($0) }) else { problems.append((record.line, "qty must be an integer")); continue }
            let line = OrderRequest.Line(sku: row["sku"] ?? "", qty: qty)
            if var existing = byKey[key] {
                existing.request.lines.append(line)
                byKey[key] = existing
                continue
            }
            let mode = row["pickup_point"] != nil ? "pickup" : "home"
            let request = OrderRequest(
                merchant: row["merchant"] ?? "", channel: row["channel"] ?? "",
                recipient: .init(name: row["recipient_name"] ?? "", phone: row["recipient_phone"] ?? ""),
                delivery: .init(mode: mode, pickupPoint: row["pickup_point"], address: row["address"],
                                lat: row["lat"].flatMap(Double.init), lon: row["lon"].flatMap(Double.init)),
                lines: [line], priority: row["priority"].flatMap { Int($0) },
                allowPartial: row["allow_partial"].map { ["true", "1", "yes"].contains($0.lowercased()) })
            byKey[key] = (record.line, request)
            order.append(key)
        }
        for key in order {
            let entry = byKey[key]!
            do {
                try entry.request.validate()
            } catch let error as DomainError {
                problems.append((entry.line, "order \(key): \(error.description)"))
            }
        }
        if !problems.isEmpty {
            throw CSVImporter.Rejected(problems: Array(problems.sorted { $0.0 < $1.0 }.prefix(100)), total: problems.count)
        }
        return order.map { Entry(key: $0, line: byKey[$0]!.line, order: byKey[$0]!.request) }
    }
}
