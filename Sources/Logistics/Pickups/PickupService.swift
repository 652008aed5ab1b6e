import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Pickup-point operations: check-in, hand-over against a code, lookups, holds,
/// extensions, unlocks, expiry and reminders. Each state change is one transaction
/// that also writes its shipment events, audit rows and outbox notifications.
///
/// Codes: 6 random digits from the system CSPRNG, stored only as
/// HMAC-SHA256(pepper, pickup id || code). A 1,000,000-code space is guessable, so
/// what stops guessing is the lock after `policy.lockAfterFailures` wrong codes on a
/// recipient's parcels and the per-point and per-key limit on failures, both counted
/// in the database so they hold across server instances.
public struct PickupService: Sendable {
    let database: Database
    let secrets: PickupSecrets
    public var policy: PickupPolicy
    /// Shared by copies of this service (one per server process).
    let limitMemo = FailureLimitMemo()

    public init(database: Database, secrets: PickupSecrets, policy: PickupPolicy = PickupPolicy()) {
        self.database = database
        self.secrets = secrets
        self.policy = policy
    }

    /// Pickups by id, in id order, as views.
    static func views(ids: [Int64], conn: PostgresConnection, logger: Logger) async throws -> [PickupView] {
        try await PickupStore.views(ids: ids, conn: conn, logger: logger)
    }

    static func audit(_ pickupIds: [Int64], action: String, reason: String?, caller: Caller?, conn: PostgresConnection,
                      logger: Logger) async throws {
        try await PickupStore.audit(pickupIds, action: action, reason: reason, caller: caller, conn: conn, logger: logger)
    }

    /// The notification payload for parcels of one recipient at a point. The full phone
    /// is there for SMS gateways; the code is added only at delivery (sealed until then).
    static func payload(_ event: String, point: PointInfo, phone: String?, parcels: [PickupView]) -> NotificationOutbox.Payload {
        NotificationOutbox.Payload(
            event: event, pickupPoint: .init(id: point.id, code: point.code, name: point.name), recipientPhone: phone,
            recipientPhoneLast4: parcels.first?.recipientPhoneLast4 ?? "",
            parcels: parcels.map { .init(trackingNo: $0.trackingNo, carrier: $0.carrier, slotNo: $0.slotNo) },
            holdUntil: parcels.map(\.holdUntil).min())
    }

    /// Queues a notification without a code (reminder, extended, returned) about one
    /// parcel, to its merchant or the point's service centre.
    static func notify(_ kind: String, view: PickupView, point: PointInfo, conn: PostgresConnection, logger: Logger) async throws {
        let (merchantId, phone) = try await PickupShipmentStore.recipient(shipmentId: view.shipmentId, conn: conn, logger: logger)
        try await NotificationOutbox.enqueue(
            kind: kind, shipmentId: view.shipmentId, point: point, merchantId: merchantId,
            payload: payload(kind, point: point, phone: phone, parcels: [view]), sealedCode: nil, conn: conn, logger: logger)
    }
}
