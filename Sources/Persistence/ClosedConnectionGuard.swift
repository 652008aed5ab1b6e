import Foundation
import NIOCore
import PostgresNIO
import RuralPostCore

/// Keeps a statement from waiting forever on a connection that has closed.
///
/// PostgresNIO 1.33 writes each statement to the connection's channel without a write
/// promise. Once the channel has closed (the database stopped, a backend was killed),
/// NIO drops such a write, and the statement's own promise is never completed: whoever
/// awaits it waits forever. PostgresNIO's `withTransaction` runs into exactly that when
/// a statement fails because the connection broke: its `ROLLBACK` never returns, the
/// request never answers, and a graceful shutdown waits for it (the database-outage
/// test hung that way). So the statements `Database` runs itself go through `run`:
/// it gives up, with `DomainError.unavailable`, shortly after the connection closes,
/// and before that never writes to a connection that is already closed.
enum ClosedConnectionGuard {
    /// How long a statement may still finish after its connection closed: its error
    /// (the server's, or "connection closed") normally arrives well within this.
    static let grace: TimeAmount = .milliseconds(500)

    static func run<T: Sendable>(
        on connection: PostgresConnection, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !connection.isClosed else { throw closed }
        let outcome = Outcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.wait(continuation)
            // A statement the connection never answers is left behind, suspended; it
            // holds nothing but its own memory (the pool drops the closed connection).
            Task {
                do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
            }
            connection.closeFuture.whenComplete { _ in
                connection.eventLoop.scheduleTask(in: grace) { outcome.finish(.failure(closed)) }
            }
        }
    }

    static var closed: DomainError { .unavailable("the connection to the database closed") }

    /// The first of the statement's result and the timeout after the close.
    final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var result: Result<T, any Error>?

        func wait(_ continuation: CheckedContinuation<T, any Error>) {
            let ready: Result<T, any Error>? = lock.withLock {
                if let result { return result }
                self.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }

        func finish(_ result: Result<T, any Error>) {
            let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
                guard self.result == nil else { return nil }
                self.result = result
                defer { continuation = nil }
                return continuation
            }
            waiting?.resume(with: result)
        }
    }
}
