/// Where a shipment is in its life, from reservation at a warehouse to the recipient or
/// back. The same set is the `shipments.status` CHECK in the database (a test keeps the
/// two equal).
public enum ShipmentStatus: String, Sendable, Codable, CaseIterable {
    case allocated, picked, packed, dispatched
    case atDepot = "at_depot"
    case outForDelivery = "out_for_delivery"
    case atPickupPoint = "at_pickup_point"
    case collected, delivered, returned, cancelled
    case returnReceived = "return_received"

    /// The states a shipment may move to from this one.
    public var next: Set<ShipmentStatus> {
        switch self {
        case .allocated: return [.picked, .cancelled]
        case .picked: return [.packed, .cancelled]
        case .packed: return [.dispatched, .cancelled]
        case .dispatched: return [.atDepot]
        case .atDepot: return [.outForDelivery]
        case .outForDelivery: return [.atPickupPoint, .delivered, .returned, .atDepot]
        case .atPickupPoint: return [.collected, .returned]
        case .returned: return [.returnReceived]
        case .collected, .delivered, .cancelled, .returnReceived: return []
        }
    }

    /// Whether `target` follows this state in the lifecycle.
    public func canMove(to target: ShipmentStatus) -> Bool { next.contains(target) }

    /// States in which the shipment's units are still reserved at the warehouse.
    public static let reserved: Set<ShipmentStatus> = [.allocated, .picked, .packed]

    /// States that some other state leads to: the ones a status change may ask for.
    public static var reachable: Set<ShipmentStatus> { Set(allCases.flatMap(\.next)) }
}

/// What a shipment carries: an order's parcels, a return, produce collected at a point,
/// or another carrier's parcel held for shared distribution.
public enum ShipmentKind: String, Sendable, Codable, CaseIterable {
    case outbound, `return`, collection, foreign
}
