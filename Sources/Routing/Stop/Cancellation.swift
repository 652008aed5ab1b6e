import Foundation

/// A thread-safe flag another thread (or an HTTP handler) sets to stop a running solve.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    /// Creates an un-cancelled token.
    public init() {}
    /// Requests the solve to stop; it returns its best solution shortly after.
    public func cancel() { lock.withLock { cancelled = true } }
    /// Whether `cancel()` has been called.
    public var isCancelled: Bool { lock.withLock { cancelled } }
}

/// Stops when a token is cancelled or when the current Swift task is cancelled.
public struct Cancellation: StoppingCriterion {
    let token: CancellationToken?
    /// Stops on `token.cancel()` (if given) or on task cancellation.
    public init(_ token: CancellationToken? = nil) { self.token = token }
    public func shouldStop(iteration: Int, bestCost: Int64?) -> Bool {
        (token?.isCancelled ?? false) || Task.isCancelled
    }
}
