import Foundation
import Hummingbird
import Metrics
import NIOCore
import Persistence

/// Lets at most `capacity` API requests work at once (as many as the database pool has
/// connections); the next `queueLimit` wait, first come first served, for at most
/// `maxWait`; the rest, and those that waited too long, are turned away. Without it, a
/// burst beyond what the pool can serve queues without bound inside the pool and every
/// request's latency grows with the burst; with it, latency stays bounded and the
/// excess gets a quick `503 overloaded` with `Retry-After`, which clients retry.
actor AdmissionGate {
    let capacity: Int
    let queueLimit: Int
    let maxWait: Duration
    private var running = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0
    /// `ruralpost_requests_running` / `_waiting` (gauges) and `_turned_away_total`.
    private let runningGauge = Gauge(label: "ruralpost_requests_running")
    private let waitingGauge = Gauge(label: "ruralpost_requests_waiting")
    private let turnedAway = Counter(label: "ruralpost_requests_turned_away_total")

    init(capacity: Int, queueLimit: Int, maxWait: Duration) {
        self.capacity = max(1, capacity)
        self.queueLimit = max(0, queueLimit)
        self.maxWait = maxWait
    }

    /// True when the request may go on (call `leave()` after it), false when it must be
    /// turned away.
    func enter() async -> Bool {
        if running < capacity {
            running += 1
            record()
            return true
        }
        guard waiting.count < queueLimit else {
            turnedAway.increment()
            return false
        }
        nextID &+= 1
        let id = nextID
        let maxWait = self.maxWait
        let timer = Task { [weak self] in
            try? await Task.sleep(for: maxWait)
            await self?.expire(id)
        }
        let admitted = await withCheckedContinuation { continuation in
            waiting.append((id, continuation))
            record()
        }
        timer.cancel()
        if !admitted { turnedAway.increment() }
        return admitted
    }

    /// Hands the slot to the longest-waiting request, or frees it.
    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
        record()
    }

    private func record() {
        runningGauge.record(running)
        waitingGauge.record(waiting.count)
    }

    private func expire(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
        record()
    }

    /// Requests working and waiting now (metrics, tests).
    var load: (running: Int, waiting: Int) { (running, waiting.count) }
}

/// Runs each `/v1` request through the `AdmissionGate`; a request turned away gets
/// `503 overloaded` with `Retry-After: 1`.
struct AdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: AdmissionGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard await gate.enter() else {
            throw APIError(.serviceUnavailable, code: "overloaded",
                           message: "the server is busy; retry in a moment", retryAfter: 1)
        }
        do {
            let response = try await next(request, context)
            await gate.leave()
            return response
        } catch {
            await gate.leave()
            throw error
        }
    }
}

/// Every `/v1` handler runs through this (`RouteTable`): a request that is still working
/// `grace` after the database went away is answered `503 database_unavailable` and left
/// behind. A statement on a connection that closed under it may never return (see
/// `ClosedConnectionGuard` in Persistence); neither the client nor a graceful shutdown
/// must wait for it, and its request slot is given back. Requests that meet no outage
/// run as long as they need (a large NDJSON batch).
enum OutageCutOff {
    static let grace: Duration = .seconds(1)
    /// `ruralpost_requests_cut_off_total`: requests answered 503 this way.
    static let cutOff = Counter(label: "ruralpost_requests_cut_off_total")

    /// The result of `work`, or `503 database_unavailable` once an outage has begun and
    /// `grace` has passed without `work` finishing.
    static func run<T: Sendable>(
        pool: DatabasePool, grace: Duration, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outagesBefore = pool.outageCount
        let outcome = FirstResult<T>()
        let waiter = pool.whenOutage(after: outagesBefore) {
            Task {
                try? await Task.sleep(for: grace)
                if outcome.finish(.failure(APIError(.serviceUnavailable, code: "database_unavailable",
                                                    message: "the database is unreachable; retry shortly", retryAfter: 2))) {
                    cutOff.increment()
                }
            }
        }
        defer { pool.cancelOutageWait(waiter) }
        return try await outcome.first(of: work)
    }
}
