/// A closed interval of time in seconds from a reference instant (midnight of the
/// planning day, unless stated otherwise).
public struct TimeWindow: Hashable, Sendable, Codable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        precondition(start <= end, "time window start after end")
        self.start = start
        self.end = end
    }

    public func contains(_ t: Int64) -> Bool { start <= t && t <= end }
}
