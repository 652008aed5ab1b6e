/// Roles an API key can have.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case `operator`
    case serviceCentre = "service_centre"
    case planner
}

/// Kinds of objects a key's scope can name.
public enum ScopeKind: String, Sendable, Codable, CaseIterable {
    case warehouse
    case pickupPoint = "pickup_point"
    case depot
    case serviceCentre = "service_centre"
    case merchant

    /// The table whose ids this kind names.
    public var table: String {
        switch self {
        case .warehouse: return "warehouses"
        case .pickupPoint: return "pickup_points"
        case .depot: return "depots"
        case .serviceCentre: return "service_centres"
        case .merchant: return "merchants"
        }
    }
}

/// The authenticated key behind a request.
public struct Caller: Sendable, Equatable {
    public let keyId: Int64
    public let role: Role
    /// Ids the key may touch, per kind. A kind absent here is unrestricted (admins
    /// are unrestricted everywhere).
    public let scopes: [ScopeKind: Set<Int64>]

    public init(keyId: Int64, role: Role, scopes: [ScopeKind: Set<Int64>]) {
        self.keyId = keyId
        self.role = role
        self.scopes = scopes
    }

    /// Whether the key may touch object `id` of `kind`.
    public func allows(_ kind: ScopeKind, _ id: Int64) -> Bool {
        guard role != .admin, let ids = scopes[kind] else { return true }
        return ids.contains(id)
    }

    /// The ids of `kind` the key is limited to, or nil when unrestricted.
    public func restriction(_ kind: ScopeKind) -> [Int64]? {
        guard role != .admin, let ids = scopes[kind] else { return nil }
        return ids.sorted()
    }
}
