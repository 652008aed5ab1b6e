import Foundation

/// The first of several racing results (a statement and a timeout, work and an outage
/// cut-off) for one waiting continuation: the first `finish` wins, later ones are
/// dropped. The result is kept only until it is handed over, so a loser still running
/// (a statement its connection never answers) holds no more than this object.
public final class FirstResult<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var finished = false

    public init() {}

    /// Waits with `continuation` (resumed at once if a result came first).
    public func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = lock.withLock {
            if let pending {
                self.pending = nil
                return pending
            }
            self.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    /// Delivers `result` unless one was delivered already; true when it was the first.
    @discardableResult
    public func finish(_ result: Result<T, any Error>) -> Bool {
        let (first, waiting): (Bool, CheckedContinuation<T, any Error>?) = lock.withLock {
            guard !finished else { return (false, nil) }
            finished = true
            guard let continuation else {
                pending = result
                return (true, nil)
            }
            self.continuation = nil
            return (true, continuation)
        }
        waiting?.resume(with: result)
        return first
    }

    /// Runs `work` in a task of its own and answers the first result: `work`'s, or one
    /// delivered sooner with `finish`. Cancelling the caller cancels `work`; a `work`
    /// that never returns is left behind, holding only its own memory.
    public func first(of work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { finish(await Result(catching: work)) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { wait($0) }
        } onCancel: {
            task.cancel()
        }
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing call.
    public init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
