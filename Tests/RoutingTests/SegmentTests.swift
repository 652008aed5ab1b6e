import Testing
@testable import Routing

/// Load and duration segment algebra against straightforward simulation.
@Suite struct SegmentTests {
    @Test func loadSegmentTracksPeakWithPickups() {
        // Deliver 5 then 3, pick up 4 then 6: on board 8 -> 7 -> 10.
        let a = LoadSegment(delivery: Load(5, 0, 0, 0), pickup: Load(4, 0, 0, 0))
        let b = LoadSegment(delivery: Load(3, 0, 0, 0), pickup: Load(6, 0, 0, 0))
        let s = a + b
        #expect(s.delivery[0] == 8 && s.pickup[0] == 10 && s.peak[0] == 10)
        #expect(s.excess(Load(9, 0, 0, 0)) == 1)
    }

    @Test func durationSegmentMatchesForwardSimulation() throws {
        let data = try Fixtures.vrptw(9)
        let inst = Instance(data)
        let nodes = [0] + Array(1...9) + [0]
        var seg = inst.depotSegment(0)
        for k in 1..<nodes.count {
            let v = nodes[k]
            seg = DurationSegment.merge(seg, v == 0 ? inst.depotSegment(0) : inst.clientSegmentDuration(v), edge: inst.t(nodes[k - 1], v))
        }
        let sim = ExactSchedule.simulate(inst, vt: 0, nodes: nodes)
        #expect(seg.timeWarp == sim.lateness)
        if seg.timeWarp == 0 { #expect(seg.duration == sim.duration) }
    }
}
