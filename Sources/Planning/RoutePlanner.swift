import Dispatch
import Foundation
import Logging
import Logistics
import Routing
import RuralPostCore

/// Plans one depot's routes for one day: reads the day through `DepotDayStore`, solves
/// the vehicle-routing problem, and writes a draft plan (routes, ordered stops, ETAs,
/// loads, costs, unassigned stops with reasons) through `RoutePlanStore`. The store's
/// (depot, date) planning lock refuses a second planner while one runs.
public struct RoutePlanner: Sendable {
    let plans: RoutePlanStore
    let days: DepotDayStore
    /// The road network the travel matrix and the leg geometry come from.
    let roads: RoadNetworkStore

    public init(plans: RoutePlanStore) {
        self.plans = plans
        self.days = plans.days
        self.roads = plans.roads
    }

    /// Plans `depotCode` for `date` (YYYY-MM-DD). With `jobId`, the queued job row is
    /// filled in; otherwise a new plan row is created.
    public func plan(
        depotCode: String, date: String, settings: PlanSettings, jobId: Int64? = nil,
        progress: (@Sendable (ProgressInfo) -> Void)? = nil
    ) async throws -> PlanView {
        let overrides = try settings.matrixFile.map(TravelOverrides.init(csvFile:)) ?? .none
        return try await plans.withPlanningLock(depotCode: depotCode, date: date) {
            let input = try await days.load(depotCode: depotCode, date: date)
            let (candidates, excluded) = PlanProblem.candidates(input: input, settings: settings)
            let travel = try await TravelMatrix.build(
                locations: [input.depot.location] + candidates.map(\.location), codes: [input.depot.code] + candidates.map(\.place.code),
                settings: settings, overrides: overrides, roads: roads)
            let problem = try PlanProblem(input: input, candidates: candidates, excluded: excluded, travel: travel, settings: settings)
            let solution = await Self.solve(problem, settings: settings, progress: progress)
            var view = PlanViewBuilder.build(problem: problem, solution: solution, settings: settings)
            try await RoadGeometry.attach(to: &view, problem: problem, solution: solution, roads: roads)
            let run = RoutePlanStore.RunParameters(seed: settings.seed, timeLimitSeconds: settings.timeLimitSeconds,
                                                   iterations: settings.iterations)
            view.planId = try await plans.writeDraft(view, input: input, run: run, jobId: jobId)
            return view
        }
    }

    /// Runs queued plan jobs until the queue is empty; returns the plans made. A job that
    /// fails is marked failed with its reason, and the next one runs.
    public func work(worker: String, base: PlanSettings) async throws -> [PlanView] {
        var done: [PlanView] = []
        while let job = try await plans.claim(worker: worker) {
            var settings = base
            settings.seed = job.seed
            settings.timeLimitSeconds = job.timeLimitSeconds
            settings.iterations = job.iterations
            do {
                done.append(try await plan(depotCode: job.depot, date: job.date, settings: settings, jobId: job.id))
            } catch {
                plans.logger.error("plan failed", metadata: ["plan": "\(job.id)", "depot": "\(job.depot)", "error": "\(error)"])
                try await plans.fail(jobId: job.id, error: "\(error)")
            }
        }
        return done
    }

    /// Runs the search on its own thread: it is CPU-bound for the whole time limit and
    /// must not occupy a Swift concurrency thread the server needs.
    static func solve(_ problem: PlanProblem, settings: PlanSettings, progress: (@Sendable (ProgressInfo) -> Void)?) async -> Solution? {
        guard let data = problem.data else { return nil }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                // The iteration budget, if any, makes a plan reproducible; the time limit holds regardless.
                let runtime = MaxRuntime(seconds: settings.timeLimitSeconds)
                let solution = settings.iterations.map {
                    Routing.solve(data, stop: runtime.or(MaxIterations($0)), seed: settings.seed, progress: progress)
                } ?? Routing.solve(data, stop: runtime, seed: settings.seed, progress: progress)
                continuation.resume(returning: solution)
            }
        }
    }
}
