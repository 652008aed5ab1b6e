import Foundation

/// Waiting for an operation at most so long, without cancelling it.
enum Deadline {
    /// The result of `operation` if it finishes within `limit`, else nil (also when it
    /// throws). The operation is left to finish on its own: cancelling a database call
    /// half-way is not safe, waiting for it is what must be bounded.
    static func first<T: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async -> T? {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let work = Task { once.resume(try? await operation()) }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(nil)
                work.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?

    init(_ continuation: CheckedContinuation<T?, Never>) { self.continuation = continuation }

    func resume(_ value: T?) {
        let pending: CheckedContinuation<T?, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: value)
    }
}
