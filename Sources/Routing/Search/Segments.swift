/// Loads are fixed-width vectors so that concatenation is a few SIMD instructions and
/// never allocates; unused dimensions stay zero.
typealias Load = SIMD4<Int64>

/// Load profile of a consecutive run of visits with simultaneous delivery and pickup:
/// the vehicle leaves with every delivery of the run on board and ends with every pickup.
struct LoadSegment {
    var delivery: Load
    var pickup: Load
    /// Largest load on board at any point of the run.
    var peak: Load

    static let empty = LoadSegment(delivery: .zero, pickup: .zero, peak: .zero)

    init(delivery: Load, pickup: Load, peak: Load) {
        self.delivery = delivery
        self.pickup = pickup
        self.peak = peak
    }

    init(delivery: Load, pickup: Load) {
        self.init(delivery: delivery, pickup: pickup, peak: lanesMax(delivery, pickup))
    }

    /// `a` followed by `b`: while in `a`, `b`'s deliveries are still on board; while in
    /// `b`, `a`'s pickups already are.
    @inline(__always)
    static func + (a: LoadSegment, b: LoadSegment) -> LoadSegment {
        LoadSegment(
            delivery: a.delivery &+ b.delivery, pickup: a.pickup &+ b.pickup,
            peak: lanesMax(a.peak &+ b.delivery, b.peak &+ a.pickup))
    }

    /// Sum over dimensions of the load above `capacity`.
    @inline(__always)
    func excess(_ capacity: Load) -> Int64 {
        lanesMax(peak &- capacity, .zero).wrappedSum()
    }
}

/// Time profile of a consecutive run of visits (Vidal et al. 2013, "time warp"): the
/// minimal duration, the unavoidable lateness (time warp), and the interval of start
/// times that achieve them.
struct DurationSegment {
    var duration: Int64
    var timeWarp: Int64
    var early: Int64
    var late: Int64

    static let empty = DurationSegment(duration: 0, timeWarp: 0, early: 0, late: Int64.max / 4)

    /// A zero-length stop that cannot be left before `time`: placed at the start of a trip,
    /// it holds the trip's departure until its clients' goods are released.
    @inline(__always)
    static func release(_ time: Int64) -> DurationSegment {
        DurationSegment(duration: 0, timeWarp: 0, early: time, late: Int64.max / 4)
    }

    /// `a`, travel for `edge`, then `b`.
    @inline(__always)
    static func merge(_ a: DurationSegment, _ b: DurationSegment, edge: Int64) -> DurationSegment {
        let delta = a.duration - a.timeWarp + edge
        let wait = max(b.early - delta - a.late, 0)
        let warp = max(a.early + delta - b.late, 0)
        return DurationSegment(
            duration: a.duration + b.duration + edge + wait,
            timeWarp: a.timeWarp + b.timeWarp + warp,
            early: max(b.early - delta, a.early) - wait,
            late: min(b.late - delta, a.late) + warp)
    }
}

/// Lane-wise maximum, written out so that it always inlines in the hot loops.
@inline(__always)
func lanesMax(_ a: Load, _ b: Load) -> Load {
    a.replacing(with: b, where: a .< b)
}
