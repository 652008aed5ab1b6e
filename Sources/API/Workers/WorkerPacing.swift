import Logging
import RuralPostCore

/// How a background worker paces itself after a failed round. While the database is
/// unreachable the worker backs off (its interval doubling, at most a minute) and logs
/// nothing, neither then nor when it works again: the pool logs the outage once when it
/// starts and once when it ends. Other failures are logged once per run of consecutive
/// failures, with their count when the worker recovers, instead of once per poll.
struct WorkerPacing {
    let name: String
    let logger: Logger
    let interval: Duration
    static let maxBackoff: Duration = .seconds(60)
    private var failures = 0
    /// Whether the current run of failures was logged (had a failure other than an outage).
    private var logged = false

    init(name: String, logger: Logger, interval: Duration) {
        self.name = name
        self.logger = logger
        self.interval = interval
    }

    /// Records a failed round; returns how long to wait before the next one.
    mutating func failed(_ error: any Error) -> Duration {
        failures += 1
        if !logged, !Self.isOutage(error) {
            logged = true
            logger.warning("\(name) failed; retrying with backoff", metadata: ["error": "\(error)"])
        }
        var wait = interval
        for _ in 1..<min(failures, 16) where wait < Self.maxBackoff { wait *= 2 }
        return min(wait, Self.maxBackoff)
    }

    /// Records a successful round.
    mutating func succeeded() {
        if logged { logger.notice("\(name) works again", metadata: ["failed_rounds": "\(failures)"]) }
        failures = 0
        logged = false
    }

    static func isOutage(_ error: any Error) -> Bool {
        if case .unavailable = error as? DomainError { return true }
        return false
    }
}
