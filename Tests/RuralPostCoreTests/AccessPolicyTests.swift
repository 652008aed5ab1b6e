import RuralPostCore
import Testing

/// The access policy, against a table written out by hand from the roles in DOMAIN.md
/// and docs/: admin (A), operator (O), service centre (S), planner (P).
@Suite struct AccessPolicyTests {
    typealias Action = AccessPolicy.Action

    /// Action and the roles that may take it, as letters.
    static let table: [(Action, String)] = [
        (.submitOrders, "AO"), (.readOrders, "AOP"), (.cancelOrders, "AO"),
        (.readInventory, "AOP"), (.changeStock, "AO"),
        (.setShipmentStatus(.picked), "AO"), (.setShipmentStatus(.packed), "AO"), (.setShipmentStatus(.dispatched), "AO"),
        (.setShipmentStatus(.cancelled), "AO"), (.setShipmentStatus(.returnReceived), "AO"),
        (.setShipmentStatus(.atDepot), "AOP"), (.setShipmentStatus(.outForDelivery), "AOP"), (.setShipmentStatus(.delivered), "AOP"),
        (.setShipmentStatus(.atPickupPoint), "ASP"), (.setShipmentStatus(.collected), "ASP"), (.setShipmentStatus(.returned), "ASP"),
        (.operatePickupPoint("check parcels in"), "AS"), (.readPickupPoint("read pickup counters"), "AOSP"),
        (.readNotifications, "AS"), (.changeTariffs, "A"), (.planRoutes, "AP"),
        (.masterData(.warehouses, .read), "AOP"), (.masterData(.warehouses, .create), "A"), (.masterData(.warehouses, .update), "AO"),
        (.masterData(.merchants, .list), "AO"), (.masterData(.merchants, .create), "AO"), (.masterData(.merchants, .update), "AO"),
        (.masterData(.skus, .read), "AOSP"), (.masterData(.skus, .create), "AO"), (.masterData(.skus, .update), "AO"),
        (.masterData(.depots, .list), "AOSP"), (.masterData(.depots, .create), "A"), (.masterData(.depots, .update), "AP"),
        (.masterData(.vehicles, .read), "AP"), (.masterData(.vehicles, .create), "AP"), (.masterData(.vehicles, .update), "AP"),
        (.masterData(.serviceCentres, .read), "AOSP"), (.masterData(.serviceCentres, .create), "A"),
        (.masterData(.serviceCentres, .update), "AS"),
        (.masterData(.pickupPoints, .list), "AOSP"), (.masterData(.pickupPoints, .create), "A"),
        (.masterData(.pickupPoints, .update), "AS"),
    ]

    static let letters: [Role: Character] = [.admin: "A", .operator: "O", .serviceCentre: "S", .planner: "P"]

    @Test(arguments: table.indices)
    func roleByAction(_ row: Int) {
        let (action, allowed) = Self.table[row]
        for role in Role.allCases {
            #expect(AccessPolicy.allows(role, action) == allowed.contains(Self.letters[role]!), "\(role) \(action)")
        }
    }

    @Test func listingIsReading() {
        for kind in AccessPolicy.MasterDataKind.allCases {
            for role in Role.allCases {
                #expect(AccessPolicy.allows(role, .masterData(kind, .list)) == AccessPolicy.allows(role, .masterData(kind, .read)))
            }
        }
    }

    @Test func refusalNamesTheRoleAndTheAction() {
        let planner = Caller(keyId: 7, role: .planner, scopes: [:])
        #expect(throws: DomainError.forbidden("role planner may not submit orders")) { try AccessPolicy.require(planner, .submitOrders) }
        #expect(throws: DomainError.forbidden("role planner may not create pickup points")) {
            try AccessPolicy.require(planner, .masterData(.pickupPoints, .create))
        }
        #expect(throws: Never.self) { try AccessPolicy.require(planner, .planRoutes) }
    }

    @Test func scopeLimitsObjectsNotActions() {
        let centre = Caller(keyId: 3, role: .serviceCentre, scopes: [.serviceCentre: [10]])
        #expect(centre.allows(.serviceCentre, 10) && !centre.allows(.serviceCentre, 11))
        #expect(centre.allows(.warehouse, 99), "a kind the key names no scope of is unrestricted")
        let admin = Caller(keyId: 1, role: .admin, scopes: [.serviceCentre: [10]])
        #expect(admin.allows(.serviceCentre, 11), "admins are unrestricted everywhere")
    }
}
