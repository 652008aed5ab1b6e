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
/// test hung that way), and so does any statement a store's transaction body sends after
/// the close. So every use of a connection through `Database` (its own statements, and
/// whole `transaction` and `withConnection` bodies) goes through `run`: it gives up,
/// with `DomainError.unavailable`, shortly after the connection closes, and before that
/// never writes to a connection that is already closed.
enum ClosedConnectionGuard {
    /// How long a statement may still finish after its connection closed: its error
    /// (the server's, or "connection closed") normally arrives well within this.
    static let grace: TimeAmount = .milliseconds(500)

    static func run<T: Sendable>(
        on connection: PostgresConnection, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !connection.isClosed else { throw closed }
        // The first of the statement's result and the timeout after the close.
        let outcome = FirstResult<T>()
        // One close callback per connection (`CloseWatch`), not one per statement: a
        // future's callbacks stay until it completes, and a connection lives for hours.
        let token = CloseWatch.shared.watch(connection) {
            connection.eventLoop.scheduleTask(in: grace) { outcome.finish(.failure(closed)) }
        }
        // A statement the connection never answers is left behind, suspended (the pool
        // drops the closed connection); the caller's cancellation still reaches the
        // operation (a cancelled planning request stops its solver, as without the guard).
        return try await outcome.first {
            defer { CloseWatch.shared.unwatch(token) }
            return try await operation()
        }
    }

    static var closed: DomainError { .unavailable("the connection to the database closed") }

    /// Calls back the statements waiting on a connection when it closes, with one
    /// callback on the connection's close future however many statements run on it.
    final class CloseWatch: @unchecked Sendable {
        static let shared = CloseWatch()
        struct Token: Sendable {
            let connection: ObjectIdentifier
            let id: UInt64
        }
        private let lock = NSLock()
        private var waiters: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
        private var nextID: UInt64 = 0

        /// Registers `onClose` (called at once if the connection has closed already).
        func watch(_ connection: PostgresConnection, _ onClose: @escaping @Sendable () -> Void) -> Token {
            let key = ObjectIdentifier(connection)
            let (id, first): (UInt64, Bool) = lock.withLock {
                nextID &+= 1
                let first = waiters[key] == nil
                waiters[key, default: [:]][nextID] = onClose
                return (nextID, first)
            }
            if first {
                connection.closeFuture.whenComplete { _ in
                    let callbacks = self.lock.withLock { self.waiters.removeValue(forKey: key) } ?? [:]
                    for callback in callbacks.values { callback() }
                }
            }
            return Token(connection: key, id: id)
        }

        func unwatch(_ token: Token) {
            lock.withLock {
                waiters[token.connection]?[token.id] = nil
                // The entry stays while the connection lives: its close callback is registered.
            }
        }
    }
}
