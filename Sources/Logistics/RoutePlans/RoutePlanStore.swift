import Foundation
import Logging
import Persistence
import PostgresNIO
import RuralPostCore

/// Route-plan jobs and their lifecycle: queue, claim (`FOR UPDATE SKIP LOCKED`, so
/// any number of workers in any number of processes share the queue), read, commit.
public struct RoutePlanStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The logger of the store's database, for the planner's own messages.
    public var logger: Logger { database.logger }

    /// What a depot has to plan on a day, read from the same database.
    public var days: DepotDayStore { DepotDayStore(database: database) }

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
        guard CalendarDate.weekday(date) != nil else { throw DomainError.invalid(field: "date", message: "must be a date YYYY-MM-DD") }
        guard timeLimitSeconds > 0, timeLimitSeconds <= 3600 else {
            throw DomainError.invalid(field: "timeLimit", message: "must be between 0 and 3600 seconds")
        }
        var depotId: Int64?
        for try await id in try await database.query("SELECT id FROM depots WHERE code = \(depotCode)").decode(Int64.self) { depotId = id }
        guard let depotId else { throw DomainError.invalid(field: "depot", message: "unknown depot \(depotCode)") }
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

    public func status(id: Int64) async throws -> Status {
        for try await (id, depot, date, status, error, result) in try await database.query("""
            SELECT p.id, d.code, to_char(p.plan_date, 'YYYY-MM-DD'), p.status, p.error, p.result::text
            FROM route_plans p JOIN depots d ON d.id = p.depot_id WHERE p.id = \(id)
            """).decode((Int64, String, String, String, String?, String?).self)
        {
            let plan = try result.map { try JSONDecoder().decode(PlanView.self, from: Data($0.utf8)) }
            return Status(id: id, depot: depot, date: date, status: status, error: error, plan: plan)
        }
        throw DomainError.notFound("no route plan \(id)")
    }

    /// A plan in a list: its job state and, once planned, its totals (not the routes).
    public struct Summary: Codable, Sendable {
        public let id: Int64
        public let depot: String
        public let date: String
        public let status: String
        public let error: String?
        public let totals: PlanView.Totals?
        public let createdAt: String
        public let committedAt: String?
    }

    /// Plans of one depot, newest first (id descending), optionally of one `date`;
    /// `beforeId` continues a previous page.
    public func summaries(depotId: Int64, date: String?, beforeId: Int64?, limit: Int) async throws -> [Summary] {
        if let date, CalendarDate.parse(date) == nil {
            throw DomainError.invalid(field: "date", message: "must be a date YYYY-MM-DD")
        }
        var items: [Summary] = []
        for try await text in try await database.query("""
            SELECT jsonb_build_object('id', p.id, 'depot', d.code, 'date', to_char(p.plan_date, 'YYYY-MM-DD'),
                'status', p.status, 'error', p.error, 'totals', p.result -> 'totals',
                'createdAt', p.created_at, 'committedAt', p.committed_at)::text
            FROM route_plans p JOIN depots d ON d.id = p.depot_id
            WHERE p.depot_id = \(depotId) AND (\(date)::date IS NULL OR p.plan_date = \(date)::date)
              AND (\(beforeId)::bigint IS NULL OR p.id < \(beforeId))
            ORDER BY p.id DESC LIMIT \(Int64(limit))
            """).decode(String.self)
        {
            items.append(try JSONDecoder().decode(Summary.self, from: Data(text.utf8)))
        }
        return items
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
    /// plan is superseded), its shipments (at the depot, or still on the line-haul) are
    /// assigned to their routes (an event each)
    /// and its produce collections are marked planned.
    public func commit(planId: Int64, apiKeyId: Int64?) async throws -> Status {
        let logger = database.logger
        try await database.transaction { conn in
            var row: (String, Int64, String)?
            for try await r in try await conn.query(
                "SELECT status, depot_id, plan_date::text FROM route_plans WHERE id = \(planId) FOR UPDATE", logger: logger
            ).decode((String, Int64, String).self) { row = r }
            guard let row else { throw DomainError.notFound("no route plan \(planId)") }
            guard row.0 == "draft" else { throw DomainError.conflict(field: "status", message: "plan \(planId) is \(row.0), not draft") }
            var stale = 0
            for try await n in try await conn.query("""
                SELECT count(*)::bigint FROM route_stop_shipments rss JOIN route_stops rs ON rs.id = rss.route_stop_id
                JOIN routes r ON r.id = rs.route_id JOIN shipments s ON s.id = rss.shipment_id
                WHERE r.plan_id = \(planId) AND s.status NOT IN ('at_depot', 'dispatched')
                """, logger: logger).decode(Int64.self) { stale = Int(n) }
            guard stale == 0 else {
                throw DomainError.conflict(field: nil, message: "\(stale) shipment(s) of this plan are no longer at the depot; plan again")
            }
            try await conn.query("""
                UPDATE route_plans SET status = 'superseded' WHERE depot_id = \(row.1) AND plan_date = \(row.2)::date AND status = 'committed'
                """, logger: logger)
            try await conn.query("UPDATE route_plans SET status = 'committed', committed_at = now() WHERE id = \(planId)", logger: logger)
            try await conn.query("""
                INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                SELECT rss.shipment_id, s.status, s.status,
                       'planned: plan ' || \(planId) || ' route ' || r.seq || ' trip ' || rs.trip || ' stop ' || rs.seq, \(apiKeyId)
                FROM route_stop_shipments rss JOIN route_stops rs ON rs.id = rss.route_stop_id JOIN routes r ON r.id = rs.route_id
                JOIN shipments s ON s.id = rss.shipment_id
                WHERE r.plan_id = \(planId)
                """, logger: logger)
            // The plan's produce collections, from the typed plan rather than by path into
            // its JSON, so the stored document and this step cannot drift apart.
            var collections: [Int64] = []
            for try await result in try await conn.query("SELECT result::text FROM route_plans WHERE id = \(planId)", logger: logger)
                .decode(String?.self)
            {
                if let result {
                    let plan = try JSONDecoder().decode(PlanView.self, from: Data(result.utf8))
                    collections = plan.routes.flatMap { $0.stops.flatMap(\.collections) }
                }
            }
            try await conn.query("""
                UPDATE collection_requests SET status = 'planned' WHERE status = 'open' AND id = ANY(\(collections))
                """, logger: logger)
        }
        return try await status(id: planId)
    }

    /// Runs `body` while holding the (depot, day) planning lock, a PostgreSQL advisory
    /// lock on a connection of its own; a second planner of the same depot and day is
    /// refused with a conflict instead of waiting.
    public func withPlanningLock<T: Sendable>(depotCode: String, date: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let logger = database.logger
        return try await database.withConnection { conn in
            let key = try await Self.lockKey(depotCode: depotCode, date: date, conn: conn, logger: logger)
            var locked = false
            for try await ok in try await conn.query("SELECT pg_try_advisory_lock(\(key.0), \(key.1))", logger: logger).decode(Bool.self) {
                locked = ok
            }
            guard locked else {
                throw DomainError.conflict(field: "depot", message: "another planner is already planning \(depotCode) for \(date)")
            }
            do {
                let result = try await body()
                try await conn.query("SELECT pg_advisory_unlock(\(key.0), \(key.1))", logger: logger)
                return result
            } catch {
                // A closed connection has released its advisory locks already, and a
                // statement on it would never return (see ClosedConnectionGuard).
                if !conn.isClosed {
                    _ = try? await conn.query("SELECT pg_advisory_unlock(\(key.0), \(key.1))", logger: logger)
                }
                throw error
            }
        }
    }

    /// (depot id, yyyymmdd): the advisory lock for one depot and day.
    public static func lockKey(depotCode: String, date: String, conn: PostgresConnection, logger: Logger) async throws -> (Int32, Int32) {
        guard CalendarDate.weekday(date) != nil, let day = Int32(date.replacingOccurrences(of: "-", with: "")) else {
            throw DomainError.invalid(field: "date", message: "must be a date YYYY-MM-DD")
        }
        for try await id in try await conn.query("SELECT id::integer FROM depots WHERE code = \(depotCode)", logger: logger).decode(Int32.self) {
            return (id, day)
        }
        throw DomainError.notFound("no depot \(depotCode)")
    }
}
