import Foundation
import Hummingbird
import NIOCore

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
            return true
        }
        guard waiting.count < queueLimit else { return false }
        nextID &+= 1
        let id = nextID
        let maxWait = self.maxWait
        let timer = Task { [weak self] in
            try? await Task.sleep(for: maxWait)
            await self?.expire(id)
        }
        let admitted = await withCheckedContinuation { continuation in
            waiting.append((id, continuation))
        }
        timer.cancel()
        return admitted
    }

    /// Hands the slot to the longest-waiting request, or frees it.
    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
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
