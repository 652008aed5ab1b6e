import Logging
import Logistics
import Persistence
import RuralPostCore
import ServiceLifecycle

/// Periodically sends hold reminders, returns parcels whose hold has ended (the same
/// work as `ruralpost pickups expire`) and purges old failure records. Safe to run
/// on several servers at once: each parcel is claimed with `SKIP LOCKED`.
struct PickupMaintenanceService: Service {
    let pickups: PickupService
    let keys: APIKeyStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            // Let migrations finish before the first round.
            try? await Task.sleep(for: min(interval, .seconds(5)))
            var pacing = WorkerPacing(name: "pickup maintenance", logger: logger, interval: interval)
            while !Task.isCancelled {
                var wait = interval
                do {
                    let report = try await runOnce()
                    pacing.succeeded()
                    if report.returned + report.reminded > 0 {
                        logger.info("pickup maintenance", metadata: ["returned": "\(report.returned)", "reminded": "\(report.reminded)"])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    wait = pacing.failed(error)
                }
                try? await Task.sleep(for: wait)
            }
        }
    }

    func runOnce() async throws -> MaintenanceReport {
        var report = MaintenanceReport()
        try await pickups.purgeFailures()
        // The system key row is only created when there is work to attribute to it.
        guard try await pickups.hasDueWork() else { return report }
        let caller = try await keys.systemCaller()
        report.reminded = try await pickups.remind(caller: caller)
        report.returned = try await pickups.expire(caller: caller)
        return report
    }
}
