/// A closed interval of time `[start, end]` in the problem's integer duration unit.
///
/// Named `Window` rather than `TimeWindow` so that it does not clash with
/// `RuralPostCore.TimeWindow` in files that import both modules.
public struct Window: Sendable, Hashable, Codable {
    /// Earliest instant (inclusive).
    public var start: Int64
    /// Latest instant (inclusive). For a client this bounds the start of service.
    public var end: Int64

    /// Creates a window; `end` must not precede `start`.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// A window that never binds.
    public static let unbounded = Window(start: 0, end: Int64.max / 4)
}
