import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Process-local memory of rate limits the database reported, so that a flood of
/// guesses at a limited point is turned away without a database round trip. It only
/// ever remembers a limit until the earliest moment it could lift (the oldest
/// failure in the window ageing out), so it never refuses an attempt the database
/// would allow; the database stays the authority across servers.
final class FailureLimitMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var points: [Int64: (until: ContinuousClock.Instant, point: PointInfo)] = [:]

    /// The point and until when it is limited, if known to be limited now.
    func limited(point id: Int64, now: ContinuousClock.Instant) -> (until: ContinuousClock.Instant, point: PointInfo)? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = points[id] else { return nil }
        if entry.until <= now {
            points[id] = nil
            return nil
        }
        return entry
    }

    func remember(_ point: PointInfo, until: ContinuousClock.Instant) {
        lock.lock()
        defer { lock.unlock() }
        if points.count > 10_000 { points.removeAll() }
        points[point.id] = (until, point)
    }
}

extension PickupService {
    /// The point (nil when it does not exist) and, for the point and for the key when
    /// it has used up its failures in the window, the seconds until that can lift.
    func pointAndLimit(pointId: Int64, keyId: Int64, conn: PostgresConnection?) async throws
        -> (point: PointInfo?, pointLift: Double?, keyLift: Double?)
    {
        let window = policy.windowSeconds
        let limits = try await PickupStore.limits(pointId: pointId, keyId: keyId, windowSeconds: window, conn: conn, database: database)
        let pointLift = limits.pointFailures >= policy.maxFailuresPerWindow ? limits.pointOldestLeavesIn ?? window : nil
        let keyLift = limits.keyFailures >= policy.maxFailuresPerWindow ? limits.keyOldestLeavesIn ?? window : nil
        return (limits.point, pointLift, keyLift)
    }

    /// `Retry-After` seconds for a limit lifting in `seconds`.
    static func retryAfter(_ seconds: Double) -> Int { max(1, Int(seconds.rounded(.up))) }
}
