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
        let query: PostgresQuery = """
            WITH recent AS (
                SELECT pickup_point_id, api_key_id, at FROM pickup_failures
                WHERE at > clock_timestamp() - make_interval(secs => \(window)) AND (pickup_point_id = \(pointId) OR api_key_id = \(keyId)))
            SELECT pp.id, pp.code, pp.name, pp.service_centre_id, pp.depot_id, pp.slot_capacity::bigint, pp.hold_days::bigint,
                   pp.extension_days::bigint, pp.active, l.*
            FROM (SELECT count(*) FILTER (WHERE pickup_point_id = \(pointId))::bigint,
                         extract(epoch FROM min(at) FILTER (WHERE pickup_point_id = \(pointId)) + make_interval(secs => \(window))
                                            - clock_timestamp())::float8,
                         count(*) FILTER (WHERE api_key_id = \(keyId))::bigint,
                         extract(epoch FROM min(at) FILTER (WHERE api_key_id = \(keyId)) + make_interval(secs => \(window))
                                            - clock_timestamp())::float8
                  FROM recent) l
            LEFT JOIN pickup_points pp ON pp.id = \(pointId)
            """
        let rows: QueryRows
        if let conn {
            rows = try await QueryRows(collecting: conn.query(query, logger: database.logger))
        } else {
            rows = try await database.query(query)
        }
        for try await row in rows.decode((Int64?, String?, String?, Int64?, Int64?, Int64?, Int64?, Int64?, Bool?,
                                          Int64, Double?, Int64, Double?).self) {
            var point: PointInfo?
            if let id = row.0, let code = row.1, let name = row.2, let centre = row.3, let capacity = row.5, let hold = row.6,
               let extensionDays = row.7, let active = row.8 {
                point = PointInfo(id: id, code: code, name: name, serviceCentreId: centre, depotId: row.4, slotCapacity: capacity,
                                  holdDays: hold, extensionDays: extensionDays, active: active)
            }
            let pointLift = row.9 >= policy.maxFailuresPerWindow ? row.10 ?? window : nil
            let keyLift = row.11 >= policy.maxFailuresPerWindow ? row.12 ?? window : nil
            return (point, pointLift, keyLift)
        }
        return (nil, nil, nil)
    }

    /// `Retry-After` seconds for a limit lifting in `seconds`.
    static func retryAfter(_ seconds: Double) -> Int { max(1, Int(seconds.rounded(.up))) }
}
