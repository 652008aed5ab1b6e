import Foundation
import RuralPostCore

/// The `depotArrival` of a shipment status change: when the shipment reaches its depot.
/// Given with `dispatched` it is the line-haul's expected arrival (the planner releases
/// the shipment then); with `at_depot`, the moment it arrived.
enum DepotArrival {
    /// An expected arrival further ahead than this is a typo, not a line-haul.
    static let furthestAhead: TimeInterval = 14 * 86_400
    /// An arrival recorded at the depot may be this much ahead of the server's clock
    /// (scanner clocks drift), not more: the parcel is there now.
    static let clockSkew: TimeInterval = 15 * 60
    /// How far back an arrival may be recorded (a late scan of yesterday's truck).
    static let furthestBack: TimeInterval = 7 * 86_400

    /// Parses and checks `text` (RFC 3339 with an offset, e.g. `2026-12-02T10:30:00+08:00`)
    /// for a move to `target`; refusals name the field `depotArrival`.
    static func parse(_ text: String, target: ShipmentStatus, now: Date) throws -> Date {
        guard target == .dispatched || target == .atDepot else {
            throw DomainError.invalid(field: "depotArrival",
                                      message: "goes only with status dispatched (the line-haul's expected arrival) or at_depot (when it arrived)")
        }
        guard text.utf8.count <= 40, let date = parseTimestamp(text) else {
            throw DomainError.invalid(field: "depotArrival", message: "must be a date-time with offset, e.g. 2026-12-02T10:30:00+08:00")
        }
        if date < now.addingTimeInterval(-furthestBack) {
            throw DomainError.invalid(field: "depotArrival", message: "is more than 7 days ago")
        }
        if target == .atDepot, date > now.addingTimeInterval(clockSkew) {
            throw DomainError.invalid(field: "depotArrival",
                                      message: "is in the future; a shipment moves to at_depot when it has arrived (give the expected arrival with dispatched)")
        }
        if date > now.addingTimeInterval(furthestAhead) {
            throw DomainError.invalid(field: "depotArrival", message: "is more than 14 days ahead")
        }
        return date
    }

    /// RFC 3339 date-time with an explicit offset (`Z` or ±hh:mm), fractional seconds allowed.
    static func parseTimestamp(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
