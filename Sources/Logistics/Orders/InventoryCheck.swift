import Persistence
import RuralPostCore

/// Reconciles stock: for every (warehouse, SKU) the ledger sums equal `on_hand` and
/// `reserved`, nothing is negative, and every reserved unit belongs to a live
/// (not yet dispatched) shipment.
public struct InventoryCheck: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Problem: Sendable, CustomStringConvertible {
        public let warehouse: String
        public let sku: String
        public let message: String
        public var description: String { "\(warehouse) \(sku): \(message)" }
    }

    /// All problems found (empty when the books balance), and how many rows were checked.
    public func run() async throws -> (problems: [Problem], rows: Int) {
        var problems: [Problem] = []
        let live = ShipmentStatus.reserved.map(\.rawValue).sorted()
        let books = try await InventoryStore(database: database).books(liveStatuses: live)
        var count = 0
        for row in books {
            let (warehouse, sku, onHand, reserved) = (row.warehouse, row.sku, row.onHand, row.reserved)
            let (ledgerOnHand, ledgerReserved, promised) = (row.ledgerOnHand, row.ledgerReserved, row.promised)
            count += 1
            func report(_ message: String) { problems.append(Problem(warehouse: warehouse, sku: sku, message: message)) }
            guard let onHand, let reserved else {
                report("ledger or shipments refer to stock that has no inventory row")
                continue
            }
            if onHand < 0 || reserved < 0 { report("negative stock: on_hand \(onHand), reserved \(reserved)") }
            if reserved > onHand { report("reserved \(reserved) exceeds on_hand \(onHand)") }
            if onHand != (ledgerOnHand ?? 0) { report("on_hand \(onHand) but the ledger sums to \(ledgerOnHand ?? 0)") }
            if reserved != (ledgerReserved ?? 0) { report("reserved \(reserved) but the ledger sums to \(ledgerReserved ?? 0)") }
            if reserved != (promised ?? 0) { report("reserved \(reserved) but live shipments hold \(promised ?? 0)") }
        }
        return (problems, count)
    }
}
