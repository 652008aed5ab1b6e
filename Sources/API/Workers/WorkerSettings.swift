/// Background work of the server: webhook delivery, pickup maintenance and route planning. Short
/// intervals make the integration tests run in seconds.
public struct WorkerSettings: Sendable {
    /// Deliver queued notifications.
    public var deliveryEnabled = true
    /// How often the delivery worker looks for due notifications when idle.
    public var pollInterval: Duration = .seconds(1)
    /// Notifications claimed (and sent concurrently) per round.
    public var batchSize = 20
    /// Attempts before a notification becomes a dead letter.
    public var maxAttempts = 8
    /// Backoff after the n-th failure: `backoffBase * 2^(n-1)`, at most `backoffCap`.
    public var backoffBase: Duration = .seconds(30)
    public var backoffCap: Duration = .seconds(3600)
    /// Per-request timeout; the claim lease must outlast it.
    public var requestTimeout: Duration = .seconds(10)
    public var lease: Duration = .seconds(60)
    /// Run hold expiry and reminders in the server.
    public var maintenanceEnabled = true
    public var maintenanceInterval: Duration = .seconds(300)
    /// Plan queued route-plan jobs in the server (POST /v1/route-plans).
    public var planningEnabled = true
    public var planningInterval: Duration = .seconds(1)

    public init() {}

    /// The delay before the next attempt after `attempts` failures.
    func backoff(afterAttempts attempts: Int) -> Duration {
        let factor = 1 << min(max(attempts - 1, 0), 20)
        return min(backoffBase * factor, backoffCap)
    }
}
