import RuralPostCore
import Testing

/// The shipment lifecycle: the paths a parcel can really take, and no others.
@Suite struct ShipmentStatusTests {
    /// Every state reachable from `allocated`, by breadth-first search over `next`.
    static func reachable(from start: ShipmentStatus) -> Set<ShipmentStatus> {
        var seen: Set<ShipmentStatus> = [start], queue = [start]
        while let s = queue.popLast() {
            for n in s.next where seen.insert(n).inserted { queue.append(n) }
        }
        return seen
    }

    @Test func everyStateIsReachableFromAllocation() {
        #expect(Self.reachable(from: .allocated) == Set(ShipmentStatus.allCases))
    }

    @Test func finalStatesLeadNowhere() {
        for s in [ShipmentStatus.collected, .delivered, .cancelled, .returnReceived] { #expect(s.next.isEmpty) }
    }

    @Test func onlyReservedStatesCanBeCancelled() {
        for s in ShipmentStatus.allCases {
            #expect(s.canMove(to: .cancelled) == ShipmentStatus.reserved.contains(s), "\(s)")
        }
    }

    @Test func aParcelOnTheShelfLeavesOnlyToTheRecipientOrBack() {
        #expect(ShipmentStatus.atPickupPoint.next == [.collected, .returned])
        #expect(!ShipmentStatus.atDepot.canMove(to: .collected))
    }
}
