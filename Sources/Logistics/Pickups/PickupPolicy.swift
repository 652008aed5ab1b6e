import Persistence
import RuralPostCore
/// Limits that make guessing pickup codes fail, and hold-period settings.
public struct PickupPolicy: Sendable {
    /// Wrong codes on one recipient's parcels before they lock (staff unlock them).
    public var lockAfterFailures = 5
    /// Wrong codes per point, and per API key, within `failureWindow` before 429.
    public var maxFailuresPerWindow = 20
    public var failureWindow: Duration = .seconds(60)
    /// How long before the deadline the reminder goes out.
    public var reminderLead: Duration = .seconds(24 * 3600)
    /// Parcels per arrivals request.
    public var maxParcelsPerArrival = 500

    public init() {}

    var windowSeconds: Double { Self.seconds(failureWindow) }
    var reminderSeconds: Double { Self.seconds(reminderLead) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
