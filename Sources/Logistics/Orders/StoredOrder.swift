/// An order as it is stored, with the codes of what it refers to: what `OrderStore`
/// decodes from the rows, and what intake lays out before it writes them. The API's
/// `OrderView` is built from it in one place, so a fresh intake and a later read answer
/// the same bytes.
struct StoredOrder: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        let sku: String
        let qty: Int64
        /// Units shipped from some warehouse; the rest is unfilled.
        let allocatedQty: Int64
    }

    struct Shipment: Sendable, Equatable {
        let id: Int64
        let trackingNo: String
        let warehouse: String
        let status: String
        let zone: Int?
        let grams: Int64
        let costFen: Int64
        let dueDate: String?
        /// When it reaches (or reached) its depot, UTC `YYYY-MM-DDTHH:MM:SSZ`: the
        /// line-haul's expected arrival once dispatched, the arrival once at the depot.
        let depotArrival: String?
        let parcels: [OrderView.Parcel]
    }

    let id: Int64
    let merchant: String
    let externalRef: String?
    let channel: String
    let status: String
    let deliveryMode: String
    /// The pickup point's code (pickup delivery only).
    let pickupPoint: String?
    let priority: Int
    let quotaStatus: String
    let promisedDate: String?
    let costFen: Int64
    let explain: [String]
    /// UTC with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    let createdAt: String
    /// In line order.
    let lines: [Line]
    /// In id order.
    let shipments: [Shipment]
}

extension OrderView {
    /// The API's view of a stored order: the one place it is built.
    init(_ order: StoredOrder) {
        self.init(
            id: order.id, merchant: order.merchant, externalRef: order.externalRef, channel: order.channel, status: order.status,
            deliveryMode: order.deliveryMode, pickupPoint: order.pickupPoint, priority: order.priority,
            quotaStatus: order.quotaStatus, promisedDate: order.promisedDate, costFen: order.costFen,
            lines: order.lines.map { OrderRequest.Line(sku: $0.sku, qty: $0.qty) },
            shipments: order.shipments.map { s in
                OrderView.Shipment(id: s.id, trackingNo: s.trackingNo, warehouse: s.warehouse, status: s.status, zone: s.zone,
                                   grams: s.grams, costFen: s.costFen, dueDate: s.dueDate, depotArrival: s.depotArrival,
                                   parcels: s.parcels)
            },
            unfilled: order.lines.reduce(into: [:]) { out, line in
                if line.qty > line.allocatedQty { out[line.sku] = line.qty - line.allocatedQty }
            },
            explain: order.explain, createdAt: order.createdAt)
    }
}
