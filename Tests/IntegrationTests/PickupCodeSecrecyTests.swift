import Foundation
import Logging
import Logistics
import Persistence
import PostgresNIO
import RuralPostCore
import Testing

/// Pickup codes never rest in the database or the log in clear.
@Suite struct PickupCodeSecrecyTests {
    @Test func codesAreNeitherStoredNorLoggedInClear() async throws {
        let capture = LogCapture()
        let logger: Logger = {
            var logger = Logger(label: "capture") { _ in CapturingLogHandler(capture: capture) }
            logger.logLevel = .trace
            return logger
        }()
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast(), logger: logger) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                let parcels = (0..<6).map { PickupWorld.foreign("SF\($0)", phone: "1390000000\($0)") }
                #expect(try await world.arrive(parcels).status == 201)
                let notes = try await receiver.wait(for: 6, event: "arrived")
                let codes = notes.compactMap(\.code)
                #expect(codes.count == 6)
                // Use some of them: a hand-over and a wrong attempt.
                #expect(try await world.collect(code: codes[0], last4: String(notes[0].json["recipientPhoneLast4"] as? String ?? "")).status == 200)
                #expect(try await world.collect(code: codes[1] == "000000" ? "000001" : "000000",
                                                last4: notes[1].json["recipientPhoneLast4"] as? String ?? "").status == 422)

                // Every row of every table, as text.
                var dump = ""
                var tables: [String] = []
                for try await name in try await app.database.query(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'").decode(String.self) {
                    tables.append(name)
                }
                #expect(tables.contains("pickups") && tables.contains("notification_outbox"))
                for table in tables {
                    let rows = try await app.database.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \(table) t"))
                    for try await text in rows.decode(String.self) { dump += text + "\n" }
                }
                let hashes = try await app.database.query("SELECT length(code_hash)::bigint FROM pickups")
                for try await length in hashes.decode(Int64.self) { #expect(length == 32) }
                let log = capture.text
                #expect(log.count > 1000, "the trace log should have captured the server's work")
                for code in codes {
                    #expect(!Self.containsToken(code, in: dump), "code found in the database")
                    #expect(!Self.containsToken(code, in: log), "code found in the log")
                }
            }
        }
    }

    /// `code` as a whole token (not part of a longer run of letters or digits), after
    /// blanking timestamps' fractional seconds, which are 6-digit runs by nature.
    static func containsToken(_ code: String, in text: String) -> Bool {
        let cleaned = text.replacingOccurrences(of: #"\d{2}:\d{2}:\d{2}\.\d+"#, with: "T", options: .regularExpression)
        return cleaned.range(of: "(?<![0-9A-Za-z])\(code)(?![0-9A-Za-z])", options: .regularExpression) != nil
    }
}

/// Collects every log line (message and metadata) in memory.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")")
    }
}
