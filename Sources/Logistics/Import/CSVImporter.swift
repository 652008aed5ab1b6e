import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// Bulk import of master data and stock from CSV: the file is streamed with COPY into
/// a temporary staging table, validated in SQL (every bad row reported with its line
/// number), and applied in the same transaction: all rows or none.
public struct CSVImporter: Sendable {
    /// Problems found in a file; nothing was written.
    public struct Rejected: Error, CustomStringConvertible {
        public let problems: [(line: Int, message: String)]
        public let total: Int
        public var description: String {
            var text = problems.map { "line \($0.line): \($0.message)" }.joined(separator: "\n")
            if total > problems.count { text += "\n... and \(total - problems.count) more" }
            return text
        }
    }

    /// What an import did.
    public struct Report: Sendable {
        public let kind: ImportKind
        public let rows: Int
        public let seconds: Double
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Imports `data` (CSV with a header row) as `kind`.
    public func importCSV(_ kind: ImportKind, data: Data) async throws -> Report {
        let started = ContinuousClock.now
        let spec = kind.spec
        let records: [CSVReader.Record]
        do {
            records = try CSVReader(data: data).records()
        } catch let error as CSVReader.FormatError {
            throw Rejected(problems: [(error.line, error.message)], total: 1)
        }
        guard let header = records.first else { throw Rejected(problems: [(1, "the file is empty")], total: 1) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = spec.columns.filter { $0.required && !names.contains($0.name) }.map(\.name)
        let unknown = names.filter { name in !spec.columns.contains { $0.name == name } }
        if !missing.isEmpty || !unknown.isEmpty {
            var problems: [(Int, String)] = []
            if !missing.isEmpty { problems.append((1, "missing column(s): \(missing.joined(separator: ", "))")) }
            if !unknown.isEmpty {
                problems.append((1, "unknown column(s): \(unknown.joined(separator: ", ")); expected \(spec.columns.map(\.name).joined(separator: ","))"))
            }
            throw Rejected(problems: problems, total: problems.count)
        }
        let positions = spec.columns.map { column in names.firstIndex(of: column.name) }
        var problems: [(Int, String)] = []
        var buffer = ByteBuffer()
        var chunks: [ByteBuffer] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append((record.line, "expected \(names.count) fields, found \(record.fields.count)"))
                continue
            }
            var values: [String?] = positions.map { $0.map { record.fields[$0].trimmingCharacters(in: .whitespaces) } }
            values = values.map { $0?.isEmpty == true ? nil : $0 }
            do {
                values = try spec.transform(values)
            } catch let error as DomainError {
                problems.append((record.line, error.description))
                continue
            }
            Self.appendCopyRow(line: record.line, values: values, to: &buffer)
            if buffer.readableBytes > 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
            }
        }
        chunks.append(buffer)
        if !problems.isEmpty { throw Rejected(problems: Array(problems.prefix(100)), total: problems.count) }
        let rowCount = records.count - 1
        let finalChunks = chunks

        try await database.transaction { conn in
            let columns = spec.columns.map { "\($0.name) text" }.joined(separator: ", ")
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE TEMP TABLE staging (line_no integer, \(columns)) ON COMMIT DROP"), logger: database.logger)
            try await conn.copyFrom(table: "staging", columns: ["line_no"] + spec.columns.map(\.name), logger: database.logger) { writer in
                for chunk in finalChunks where chunk.readableBytes > 0 { try await writer.write(chunk) }
            }
            let checked = try await conn.query(PostgresQuery(unsafeSQL: """
                SELECT line_no, problem, count(*) OVER ()::bigint FROM (\(spec.validation)) v
                WHERE problem IS NOT NULL ORDER BY line_no LIMIT 100
                """), logger: database.logger)
            var found: [(Int, String)] = []
            var total = 0
            for try await (line, problem, count) in checked.decode((Int32, String, Int64).self) {
                found.append((Int(line), problem))
                total = Int(count)
            }
            if !found.isEmpty { throw Rejected(problems: found, total: total) }
            for statement in spec.apply {
                try await conn.query(PostgresQuery(unsafeSQL: statement), logger: database.logger)
            }
        }
        return Report(kind: kind, rows: rowCount, seconds: (ContinuousClock.now - started).seconds)
    }

    /// One row in COPY text format: tab-separated, `\N` for NULL, backslash escapes.
    static func appendCopyRow(line: Int, values: [String?], to buffer: inout ByteBuffer) {
        buffer.writeString(String(line))
        for value in values {
            buffer.writeInteger(UInt8(ascii: "\t"))
            guard let value else {
                buffer.writeString("\\N")
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeString("\\t")
                case UInt8(ascii: "\n"): buffer.writeString("\\n")
                case UInt8(ascii: "\r"): buffer.writeString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}
