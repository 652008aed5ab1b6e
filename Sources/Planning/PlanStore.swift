import Foundation
import Logging
import PostgresNIO
import RuralPostCore
import Storage

/// Route-plan jobs and their lifecycle: queue, claim (`FOR UPDATE SKIP LOCKED`, so
/// any number of workers in any number of processes share the queue), read, commit.
public struct PlanStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A plan row as the API shows it: status, and the plan once drafted.
    public struct Status: Codable, Sendable {
        public let id: Int64
        public let depot: String
        public let date: String
        public let status: String
        public let error: String?
        public let plan: PlanView?
    }

    /// A claimed job.
    public struct Job: Sendable {
        public let id: Int64
        public let depot: String
        public let date: String
        public let seed: UInt64
        public let timeLimitSeconds: Double
        public let iterations: Int?
    }

    /// Queues a plan for `depotCode` on `date`; nil when one is already queued or running.
    @discardableResult
    public func enqueue(depotCode: String, date: String, timeLimitSeconds: Double, seed: UInt64, iterations: Int?) async throws -> Int64? {
        guard CalendarDate.weekday(date) != nil else { throw StoreError.invalid(field: "date", message: "must be a date YYYY-MM-DD") }
        guard timeLimitSeconds > 0, timeLimitSeconds <= 3600 else {
            throw StoreError.invalid(field: "timeLimit", message: "must be between 0 and 3600 seconds")
        }
        var depotId: Int64?
        for try await id in try await database.query("SELECT id FROM depots WHERE code = \(depotCode)").decode(Int64.self) { depotId = id }
        guard let depotId else { throw StoreError.invalid(field: "depot", message: "unknown depot \(depotCode)") }
        for try await id in try await database.query("""
            INSERT INTO route_plans (depot_id, plan_date, status, seed, time_limit_s, iterations)
            VALUES (\(depotId), \(date)::date, 'queued', \(Int64(seed)), \(timeLimitSeconds), \(iterations.map(Int64.init)))
            ON CONFLICT (depot_id, plan_date) WHERE status IN ('queued', 'running') DO NOTHING
            RETURNING id
            """).decode(Int64.self) { return id }
        return nil
    }

    /// Queues every depot that has no plan yet for `date` (or every depot with `replan`).
    public func enqueueAll(date: String, timeLimitSeconds: Double, seed: UInt64, iterations: Int?, replan: Bool) async throws -> Int {
        var queued = 0
        for try await code in try await database.query("""
            SELECT d.code FROM depots d
            WHERE \(replan) OR NOT EXISTS (SELECT 1 FROM route_plans p WHERE p.depot_id = d.id AND p.plan_date = \(date)::date
                                           AND p.status <> 'failed')
            ORDER BY d.id
            """).decode(String.self)
        {
            if try await enqueue(depotCode: code, date: date, timeLimitSeconds: timeLimitSeconds, seed: seed, iterations: iterations) != nil {
                queued += 1
            }
        }
        return queued
    }

    /// Claims the oldest queued job, or nil when the queue is empty.
    public func claim(worker: String) async throws -> Job? {
        for try await row in try await database.query("""
            UPDATE route_plans p SET status = 'running', claimed_by = \(worker), started_at = now()
            FROM depots d
            WHERE p.id = (SELECT id FROM route_plans WHERE status = 'queued' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
              AND d.id = p.depot_id
            RETURNING p.id, d.code, to_char(p.plan_date, 'YYYY-MM-DD'), p.seed, p.time_limit_s, p.iterations
            """).decode((Int64, String, String, Int64, Double, Int32?).self)
        {
            return Job(id: row.0, depot: row.1, date: row.2, seed: UInt64(row.3), timeLimitSeconds: row.4, iterations: row.5.map(Int.init))
        }
        return nil
    }

    /// Marks a claimed job failed with the reason.
    public func fail(jobId: Int64, error: String) async throws {
        try await database.query("UPDATE route_plans SET status = 'failed', error = \(error), finished_at = now() WHERE id = \(jobId)")
    }

    /// Runs claimed jobs until the queue is empty; returns the plans made.
    public func work(worker: String, planner: RoutePlanner, base: PlanSettings) async throws -> [PlanView] {
        var done: [PlanView] = []
        while let job = try await claim(worker: worker) {
            var settings = base
            settings.seed = job.seed
            settings.timeLimitSeconds = job.timeLimitSeconds
            settings.iterations = job.iterations
            do {
                done.append(try await planner.plan(depotCode: job.depot, date: job.date, settings: settings, jobId: job.id))
            } catch {
                database.logger.error("plan failed", metadata: ["plan": "\(job.id)", "depot": "\(job.depot)", "error": "\(error)"])
                try await fail(jobId: job.id, error: "\(error)")
            }
        }
        return done
    }

    public func status(id: Int64) async throws -> Status {
        for try await (id, depot, date, status, error, result) in try await database.query("""
            SELECT p.id, d.code, to_char(p.plan_date, 'YYYY-MM-DD'), p.status, p.error, p.result::text
            FROM route_plans p JOIN depots d ON d.id = p.depot_id WHERE p.id = \(id)
            """).decode((Int64, String, String, String, String?, String?).self)
        {
            let plan = try result.map { try JSONDecoder().decode(PlanView.self, from: Data($0.utf8)) }
            return Status(id: id, depot: depot, date: date, status: status, error: error, plan: plan)
        }
        throw StoreError.notFound("no route plan \(id)")
    }

    /// The id of the depot with `code`.
    public func depotId(code: String) async throws -> Int64? {
        for try await id in try await database.query("SELECT id FROM depots WHERE code = \(code)").decode(Int64.self) { return id }
        return nil
    }

    /// The depot id of a plan (for scope checks).
    public func depotId(planId: Int64) async throws -> Int64? {
        for try await id in try await database.query("SELECT depot_id FROM route_plans WHERE id = \(planId)").decode(Int64.self) { return id }
        return nil
    }

    /// Commits a draft: it becomes the depot's plan for the day (an earlier committed
    /// plan is superseded), its shipments are assigned to their routes (an event each)
    /// and its produce collections are marked planned.
    public func commit(planId: Int64, apiKeyId: Int64?) async throws -> Status {
        let logger = database.logger
        try await database.transaction { conn in
            var row: (String, Int64, String)?
            for try await r in try await conn.query(
                "SELECT status, depot_id, plan_date::text FROM route_plans WHERE id = \(planId) FOR UPDATE", logger: logger
            ).decode((String, Int64, String).self) { row = r }
            guard let row else { throw StoreError.notFound("no route plan \(planId)") }
            guard row.0 == "draft" else { throw StoreError.conflict(field: "status", message: "plan \(planId) is \(row.0), not draft") }
            var stale = 0
            for try await n in try await conn.query("""
                SELECT count(*)::bigint FROM route_stop_shipments rss JOIN route_stops rs ON rs.id = rss.route_stop_id
                JOIN routes r ON r.id = rs.route_id JOIN shipments s ON s.id = rss.shipment_id
                WHERE r.plan_id = \(planId) AND s.status <> 'at_depot'
                """, logger: logger).decode(Int64.self) { stale = Int(n) }
            guard stale == 0 else {
                throw StoreError.conflict(field: nil, message: "\(stale) shipment(s) of this plan are no longer at the depot; plan again")
            }
            try await conn.query("""
                UPDATE route_plans SET status = 'superseded' WHERE depot_id = \(row.1) AND plan_date = \(row.2)::date AND status = 'committed'
                """, logger: logger)
            try await conn.query("UPDATE route_plans SET status = 'committed', committed_at = now() WHERE id = \(planId)", logger: logger)
            try await conn.query("""
                INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                SELECT rss.shipment_id, 'at_depot', 'at_depot', 'planned: plan ' || \(planId) || ' route ' || r.seq || ' stop ' || rs.seq, \(apiKeyId)
                FROM route_stop_shipments rss JOIN route_stops rs ON rs.id = rss.route_stop_id JOIN routes r ON r.id = rs.route_id
                WHERE r.plan_id = \(planId)
                """, logger: logger)
            try await conn.query("""
                UPDATE collection_requests SET status = 'planned'
                WHERE status = 'open' AND id IN (SELECT (jsonb_array_elements(s -> 'collections'))::bigint
                             FROM route_plans p, jsonb_array_elements(p.result -> 'routes') r, jsonb_array_elements(r -> 'stops') s
                             WHERE p.id = \(planId))
                """, logger: logger)
        }
        return try await status(id: planId)
    }
}
