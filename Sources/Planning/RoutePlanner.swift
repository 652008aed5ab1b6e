import Dispatch
import Foundation
import Logging
import PostgresNIO
import Routing
import RuralPostCore
import Storage

/// Plans one depot's routes for one day: reads the day from the database, solves the
/// vehicle-routing problem, and writes a draft plan (routes, ordered stops, ETAs,
/// loads, costs, unassigned stops with reasons) in one transaction. A PostgreSQL
/// advisory lock on (depot, date) refuses a second planner while one runs.
public struct RoutePlanner: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Plans `depotCode` for `date` (YYYY-MM-DD). With `jobId`, the queued job row is
    /// filled in; otherwise a new plan row is created.
    public func plan(
        depotCode: String, date: String, settings: PlanSettings, jobId: Int64? = nil,
        progress: (@Sendable (ProgressInfo) -> Void)? = nil
    ) async throws -> PlanView {
        let logger = database.logger
        let overrides = try settings.matrixFile.map(TravelOverrides.init(csvFile:)) ?? .none
        return try await database.withConnection { conn in
            let key = try await Self.lockKey(depotCode: depotCode, date: date, conn: conn, logger: logger)
            var locked = false
            for try await ok in try await conn.query("SELECT pg_try_advisory_lock(\(key.0), \(key.1))", logger: logger).decode(Bool.self) {
                locked = ok
            }
            guard locked else {
                throw StoreError.conflict(field: "depot", message: "another planner is already planning \(depotCode) for \(date)")
            }
            do {
                let view = try await planLocked(depotCode: depotCode, date: date, settings: settings, overrides: overrides,
                                                jobId: jobId, conn: conn, progress: progress)
                try await conn.query("SELECT pg_advisory_unlock(\(key.0), \(key.1))", logger: logger)
                return view
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(key.0), \(key.1))", logger: logger)
                throw error
            }
        }
    }

    private func planLocked(
        depotCode: String, date: String, settings: PlanSettings, overrides: TravelOverrides, jobId: Int64?,
        conn: PostgresConnection, progress: (@Sendable (ProgressInfo) -> Void)?
    ) async throws -> PlanView {
        let input = try await PlanInputLoader.load(depotCode: depotCode, date: date, conn: conn, logger: database.logger)
        let problem = try PlanProblem(input: input, settings: settings, overrides: overrides)
        let solution = await Self.solve(problem, settings: settings, progress: progress)
        var view = PlanViewBuilder.build(problem: problem, solution: solution, settings: settings)
        view.planId = try await PlanWriter(database: database).write(view, problem: problem, settings: settings, jobId: jobId)
        return view
    }

    /// Runs the search on its own thread: it is CPU-bound for the whole time limit and
    /// must not occupy a Swift concurrency thread the server needs.
    static func solve(_ problem: PlanProblem, settings: PlanSettings, progress: (@Sendable (ProgressInfo) -> Void)?) async -> Solution? {
        guard let data = problem.data else { return nil }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                let stop = PlanStop(runtime: MaxRuntime(seconds: settings.timeLimitSeconds), iterations: settings.iterations.map(MaxIterations.init))
                continuation.resume(returning: Routing.solve(data, stop: stop, seed: settings.seed, progress: progress))
            }
        }
    }

    /// (depot id, yyyymmdd): the advisory lock for one depot and day.
    public static func lockKey(depotCode: String, date: String, conn: PostgresConnection, logger: Logger) async throws -> (Int32, Int32) {
        guard CalendarDate.weekday(date) != nil, let day = Int32(date.replacingOccurrences(of: "-", with: "")) else {
            throw StoreError.invalid(field: "date", message: "must be a date YYYY-MM-DD")
        }
        for try await id in try await conn.query("SELECT id::integer FROM depots WHERE code = \(depotCode)", logger: logger).decode(Int32.self) {
            return (id, day)
        }
        throw StoreError.notFound("no depot \(depotCode)")
    }
}

/// Stops at the iteration budget if there is one, and at the time limit regardless.
struct PlanStop: StoppingCriterion {
    var runtime: MaxRuntime
    var iterations: MaxIterations?

    mutating func shouldStop(iteration: Int, bestCost: Int64?) -> Bool {
        if iterations?.shouldStop(iteration: iteration, bestCost: bestCost) == true { return true }
        return runtime.shouldStop(iteration: iteration, bestCost: bestCost)
    }
}
