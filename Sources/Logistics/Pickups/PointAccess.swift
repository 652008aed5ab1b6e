import Persistence
import PostgresNIO
import RuralPostCore

/// A pickup point as pickup operations need it.
struct PointInfo: Sendable {
    let id: Int64
    let code: String
    let name: String
    let serviceCentreId: Int64
    let depotId: Int64?
    let slotCapacity: Int64
    let holdDays: Int64
    let extensionDays: Int64
    let active: Bool
}

/// Loads a pickup point for a caller: a role the access policy refuses `action` is 403; a point outside
/// the key's scope (pickup point, service centre or depot) is 404, exactly like a
/// point that does not exist, so a centre never learns about another's points.
enum PointAccess {
    static func load(_ id: Int64, caller: Caller, for action: AccessPolicy.Action, lock: Bool = false,
                     conn: PostgresConnection, logger: Logger) async throws -> PointInfo {
        try AccessPolicy.require(caller, action)
        let found = try await PickupStore.point(id, lock: lock, conn: conn, logger: logger)
        guard let point = found, visible(point, to: caller) else { throw DomainError.notFound("no pickup point \(id)") }
        return point
    }

    static func visible(_ point: PointInfo, to caller: Caller) -> Bool {
        caller.allows(.pickupPoint, point.id) && caller.allows(.serviceCentre, point.serviceCentreId)
            && (point.depotId.map { caller.allows(.depot, $0) } ?? true)
    }
}
