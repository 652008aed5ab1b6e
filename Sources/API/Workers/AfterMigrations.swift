import Foundation
import ServiceLifecycle

/// Opened once the server's migrations have run (or at once when it does not migrate).
final class MigrationGate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: Bool

    init(open: Bool) {
        opened = open
    }

    func open() {
        lock.withLock { opened = true }
    }

    var isOpen: Bool { lock.withLock { opened } }
}

/// Runs a background worker only once the schema is in place: the workers start with
/// the server's services, while migrations run before it listens, and on a fresh
/// database their first poll would otherwise hit tables that do not exist yet.
struct AfterMigrations: Service {
    let gate: MigrationGate
    let worker: any Service

    func run() async throws {
        while !gate.isOpen {
            // Returns on shutdown or cancellation (a failed migration stops the server).
            if Task.isCancelledOrShuttingDown { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await worker.run()
    }
}
