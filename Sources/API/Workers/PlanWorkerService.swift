import Logging
import Logistics
import Persistence
import Planning
import RuralPostCore
import ServiceLifecycle

/// Plans queued route-plan jobs in the server, one at a time, polling the queue.
/// Other processes (`ruralpost plan --all-depots`) may work the same queue.
struct PlanWorkerService: Service {
    let planner: RoutePlanner
    let name: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var pacing = WorkerPacing(name: "route plan worker", logger: logger, interval: interval)
        while !Task.isCancelledOrShuttingDown {
            var wait = interval
            do {
                let plans = try await planner.work(worker: name, base: PlanSettings())
                for plan in plans {
                    logger.info("route plan drafted", metadata: ["plan": "\(plan.planId ?? 0)", "depot": "\(plan.depot.code)"])
                }
                pacing.succeeded()
            } catch {
                wait = pacing.failed(error)
            }
            try? await Task.sleep(for: wait)
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// True once the task is cancelled or the service group is shutting down.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
