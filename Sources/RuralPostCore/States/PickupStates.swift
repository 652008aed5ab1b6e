/// A parcel on a pickup point's shelf (`pickups.status`).
public enum PickupStatus: String, Sendable, Codable, CaseIterable {
    case waiting, collected, returned
}

/// Produce registered for collection at a point (`collection_requests.status`).
public enum CollectionStatus: String, Sendable, Codable, CaseIterable {
    case open, planned, collected, cancelled
}

/// A notification in the webhook outbox (`notifications.status`).
public enum NotificationStatus: String, Sendable, Codable, CaseIterable {
    case pending, sent, dead
}

/// What a notification tells the recipient (`notifications.kind`).
public enum NotificationKind: String, Sendable, Codable, CaseIterable {
    case arrived, reminder, extended, returned
}
