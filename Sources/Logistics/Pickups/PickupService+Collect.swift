import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

extension PickupService {
    /// Hands over the waiting parcels at point `pointId` whose recipient's phone ends
    /// in `phoneLast4` and whose code is `code` (codes are single use: a handed-over
    /// parcel no longer matches). A wrong code counts one attempt on each of that
    /// recipient's unlocked parcels and one failure toward the point's and the key's
    /// rate limits; everything is committed before the outcome is returned.
    public func collect(pointId: Int64, _ request: CollectRequest, caller: Caller) async throws -> CollectOutcome {
        guard request.code.count == 6, request.code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(field: "code", message: "must be 6 digits")
        }
        guard request.phoneLast4.count == 4, request.phoneLast4.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(field: "phoneLast4", message: "must be the last 4 digits of the recipient's phone")
        }
        if let by = request.collectedBy, by.count > 200 {
            throw DomainError.invalid(field: "collectedBy", message: "at most 200 characters")
        }
        try AccessPolicy.require(caller, .operatePickupPoint("hand parcels over"))
        // A point known to be limited is answered from memory (scope still checked).
        let now = ContinuousClock.now
        if let known = limitMemo.limited(point: pointId, now: now) {
            guard PointAccess.visible(known.point, to: caller) else { throw DomainError.notFound("no pickup point \(pointId)") }
            return .rateLimited(retryAfterSeconds: Self.retryAfter(Double((known.until - now).components.seconds) + 1))
        }
        // One unlocked round trip turns a flood of guesses away without queueing on the
        // locks below; the locked re-check is what makes the limit exact.
        let pre = try await pointAndLimit(pointId: pointId, keyId: caller.keyId, conn: nil)
        guard let found = pre.point, PointAccess.visible(found, to: caller) else {
            throw DomainError.notFound("no pickup point \(pointId)")
        }
        if let lift = pre.pointLift, lift > 0 {
            // Only the point's own limit is remembered: it applies to every key there.
            limitMemo.remember(found, until: now + .milliseconds(Int64(lift * 1000)))
        }
        if pre.pointLift != nil || pre.keyLift != nil {
            return .rateLimited(retryAfterSeconds: Self.retryAfter(max(pre.pointLift ?? 0, pre.keyLift ?? 0)))
        }
        let pepper = try await secrets.pepper()
        let logger = database.logger
        return try await database.transaction { conn -> CollectOutcome in
            let point = try await PointAccess.load(pointId, caller: caller, for: .operatePickupPoint("hand parcels over"),
                                                   conn: conn, logger: logger)
            // Serialise attempts per key, then per point (always in this order: no deadlock),
            // so counting and recording failures cannot interleave.
            try await PickupStore.advisoryLock(Self.keyLockClass, Self.lockId(caller.keyId), conn: conn, logger: logger)
            try await PickupStore.advisoryLock(Self.pointLockClass, Self.lockId(point.id), conn: conn, logger: logger)
            let limits = try await pointAndLimit(pointId: point.id, keyId: caller.keyId, conn: conn)
            if limits.pointLift != nil || limits.keyLift != nil {
                return .rateLimited(retryAfterSeconds: Self.retryAfter(max(limits.pointLift ?? 0, limits.keyLift ?? 0)))
            }
            let candidates = try await PickupStore.candidates(pointId: point.id, phoneLast4: request.phoneLast4, conn: conn,
                                                              logger: logger)
            let open = candidates.filter { !$0.locked }
            // Every open candidate is checked (no early exit), each in constant time.
            let matched = open.filter { PickupSecrets.verify(code: request.code, pickupId: $0.id, hash: $0.codeHash, pepper: pepper) }
            if !matched.isEmpty {
                let ids = matched.map(\.id)
                try await PickupStore.markCollected(ids, by: request.collectedBy ?? "recipient", caller: caller, conn: conn,
                                                    logger: logger)
                let lifecycle = ShipmentLifecycle(database: database)
                for parcel in matched {
                    try await lifecycle.apply(shipmentId: parcel.shipmentId, from: try ShipmentLifecycle.status(parcel.shipmentStatus), to: .collected, warehouseId: nil,
                                              note: "handed over at \(point.code)", caller: caller, conn: conn)
                }
                try await Self.audit(ids, action: "collected", reason: request.collectedBy, caller: caller, conn: conn, logger: logger)
                return .collected(try await Self.views(ids: ids, conn: conn, logger: logger))
            }

            try await PickupStore.recordFailure(pointId: point.id, caller: caller, conn: conn, logger: logger)
            if candidates.isEmpty { return .wrongCode(attemptsLeft: nil) }
            if open.isEmpty { return .locked }
            var left = Int.max
            var newlyLocked: [Int64] = []
            for (id, failed, locked) in try await PickupStore.countWrongCode(open.map(\.id), lockAfter: policy.lockAfterFailures,
                                                                             conn: conn, logger: logger) {
                left = min(left, max(0, policy.lockAfterFailures - Int(failed)))
                if locked { newlyLocked.append(id) }
            }
            if !newlyLocked.isEmpty {
                try await Self.audit(newlyLocked, action: "locked", reason: "\(policy.lockAfterFailures) wrong codes", caller: caller,
                                     conn: conn, logger: logger)
            }
            return newlyLocked.count == open.count ? .locked : .wrongCode(attemptsLeft: left)
        }
    }

    /// Advisory-lock classes (two-int form, distinct from the migration lock's key).
    static let keyLockClass: Int32 = 0x5250_4B01
    static let pointLockClass: Int32 = 0x5250_5001
    static func lockId(_ id: Int64) -> Int32 { Int32(truncatingIfNeeded: id) }
}
