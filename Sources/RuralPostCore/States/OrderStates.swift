/// An order's state as intake and cancellation leave it (`orders.status`).
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case accepted
    case partiallyFilled = "partially_filled"
    case backordered, cancelled, completed
}

/// How the buyer receives the order (`orders.delivery_mode`).
public enum DeliveryMode: String, Sendable, Codable, CaseIterable {
    /// Collected at a pickup point with a code.
    case pickup
    /// Brought to a home address.
    case home
}

/// Whether the order fell within its day's quotas, and so has a promised date
/// (`orders.quota_status`).
public enum QuotaStatus: String, Sendable, Codable, CaseIterable {
    case withinQuota = "within_quota"
    case overQuota = "over_quota"
}
