/// Who may do what: one table of role x action that every service asks before it acts.
///
/// The role decides whether a kind of action is allowed at all (refused: 403). The key's
/// scope then decides which objects the action may touch (`Caller.allows`): an object
/// outside it is treated as absent (404), so a key never learns what exists beyond it.
/// Admin keys may do everything, everywhere.
public enum AccessPolicy {
    /// Throws `DomainError.forbidden` unless `caller`'s role may take `action`.
    public static func require(_ caller: Caller, _ action: Action) throws {
        guard allows(caller.role, action) else {
            throw DomainError.forbidden("role \(caller.role.rawValue) may not \(action.description)")
        }
    }

    /// Whether `role` may take `action`.
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        role == .admin || roles(for: action).contains(role)
    }

    /// The roles besides admin that may take `action`.
    public static func roles(for action: Action) -> Set<Role> {
        switch action {
        case .submitOrders, .cancelOrders, .changeStock: return [.operator]
        case .readOrders: return [.operator, .planner]
        case .readInventory: return [.operator, .planner]
        case .setShipmentStatus(let target):
            switch target {
            case .picked, .packed, .dispatched, .cancelled, .returnReceived: return [.operator]
            case .atDepot, .outForDelivery, .delivered: return [.planner, .operator]
            default: return [.serviceCentre, .planner]
            }
        case .operatePickupPoint: return [.serviceCentre]
        case .readPickupPoint: return [.serviceCentre, .planner, .operator]
        case .readNotifications: return [.serviceCentre]
        case .changeTariffs: return []
        case .planRoutes: return [.planner]
        case .masterData(let kind, let operation):
            switch (kind, operation == .list ? .read : operation) {
            case (.merchants, .read), (.merchants, .create), (.merchants, .update): return [.operator]
            case (.skus, .read): return [.operator, .planner, .serviceCentre]
            case (.skus, .create), (.skus, .update): return [.operator]
            case (.warehouses, .read): return [.operator, .planner]
            case (.warehouses, .update): return [.operator]
            case (.depots, .read): return [.planner, .operator, .serviceCentre]
            case (.depots, .update): return [.planner]
            case (.vehicles, _): return [.planner]
            case (.serviceCentres, .read), (.pickupPoints, .read): return [.serviceCentre, .planner, .operator]
            case (.serviceCentres, .update), (.pickupPoints, .update): return [.serviceCentre]
            case (.warehouses, .create), (.depots, .create), (.serviceCentres, .create), (.pickupPoints, .create): return []
            case (_, .list): return []  // listing is reading, mapped above
            }
        }
    }

    /// Kinds of action a service takes on a caller's behalf.
    public enum Action: Hashable, Sendable, CustomStringConvertible {
        case submitOrders, readOrders, cancelOrders
        case readInventory, changeStock
        case setShipmentStatus(ShipmentStatus)
        /// Shelf work at a point: check-in, hand-over, holds, collections, reminders.
        case operatePickupPoint(String)
        /// Reading a point's counters and collections.
        case readPickupPoint(String)
        case readNotifications
        case changeTariffs
        case planRoutes
        case masterData(MasterDataKind, MasterDataOperation)

        /// The action in words, completing "role X may not ...".
        public var description: String {
            switch self {
            case .submitOrders: return "submit orders"
            case .readOrders: return "read orders"
            case .cancelOrders: return "cancel orders"
            case .readInventory: return "read inventory"
            case .changeStock: return "change stock"
            case .setShipmentStatus(let target): return "set status \(target.rawValue)"
            case .operatePickupPoint(let verb), .readPickupPoint(let verb): return verb
            case .readNotifications: return "read notifications"
            case .changeTariffs: return "change tariffs"
            case .planRoutes: return "plan routes"
            case .masterData(let kind, let operation): return "\(operation.rawValue) \(kind.words)"
            }
        }
    }

    /// The master-data tables.
    public enum MasterDataKind: String, Sendable, CaseIterable {
        case warehouses, merchants, skus, depots, vehicles
        case serviceCentres = "service_centres"
        case pickupPoints = "pickup_points"

        /// `pickup points` for `pickup_points`.
        var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
    }

    /// What is done to a master-data object (listing is reading).
    public enum MasterDataOperation: String, Sendable, CaseIterable {
        case read, list, create, update
    }
}
