import Foundation
import OrderSplitting
import Persistence
import RuralPostCore

/// One split order as `rp_place_order` (sql/0005) writes it: every row, ids included,
/// in the tables' own column names, plus what the quota counters should confirm.
/// Built together with the stored order (`stored`), whose view is the response intake
/// stores in the same transaction as the order it describes.
struct OrderWrite: Encodable {
    struct Order: Encodable {
        let id: Int64
        let merchantId: Int64
        let externalRef: String?
        let channel: String
        let recipientName: String
        let recipientPhone: String
        let deliveryMode: String
        let pickupPointId: Int64?
        let address: String?
        let lat: Double
        let lon: Double
        let priority: Int
        let status: String
        let promisedDate: String?
        let quotaStatus: String
        let costFen: Int64
        let explain: [String]
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, merchantId = "merchant_id", externalRef = "external_ref", channel, recipientName = "recipient_name",
                 recipientPhone = "recipient_phone", deliveryMode = "delivery_mode", pickupPointId = "pickup_point_id",
                 address, lat, lon, priority, status, promisedDate = "promised_date", quotaStatus = "quota_status",
                 costFen = "cost_fen", explain, createdAt = "created_at"
        }
    }

    struct Line: Encodable {
        let lineNo: Int
        let skuId: Int64
        let qty: Int64
        let allocatedQty: Int64

        enum CodingKeys: String, CodingKey { case lineNo = "line_no", skuId = "sku_id", qty, allocatedQty = "allocated_qty" }
    }

    struct Shipment: Encodable {
        let id: Int64
        let trackingNo: String
        let warehouseId: Int64
        let pickupPointId: Int64?
        let depotId: Int64?
        let zone: Int?
        let grams: Int64
        let cm3: Int64
        let costFen: Int64
        let coldChain: Bool
        let dueDate: String
        let promisedDate: String?

        enum CodingKeys: String, CodingKey {
            case id, trackingNo = "tracking_no", warehouseId = "warehouse_id", pickupPointId = "pickup_point_id",
                 depotId = "depot_id", zone, grams, cm3, costFen = "cost_fen", coldChain = "cold_chain", dueDate = "due_date",
                 promisedDate = "promised_date"
        }
    }

    /// Units of one SKU in one shipment: a `shipment_items` row, a reservation and a ledger row.
    struct Item: Encodable {
        let shipmentId: Int64
        let warehouseId: Int64
        let skuId: Int64
        let qty: Int64

        enum CodingKeys: String, CodingKey { case shipmentId = "shipment_id", warehouseId = "warehouse_id", skuId = "sku_id", qty }
    }

    struct Parcel: Encodable {
        let shipmentId: Int64
        let parcelNo: Int
        let grams: Int64
        let costFen: Int64
        let items: [String: Int64]

        enum CodingKeys: String, CodingKey { case shipmentId = "shipment_id", parcelNo = "parcel_no", grams, costFen = "cost_fen", items }
    }

    let order: Order
    let lines: [Line]
    let shipments: [Shipment]
    let items: [Item]
    let parcels: [Parcel]
    let shipDay: String
    /// The merchant's daily quota, when it has one (its counter is only kept then).
    let merchantQuota: Int64?
    /// What the response promises; the write fails with RPQTA if the counters disagree.
    let overQuota: Bool
    /// The merchant's policy: over quota, the write fails with RPQRF instead of accepting.
    let refuseOverQuota: Bool

    enum CodingKeys: String, CodingKey {
        case order, lines, shipments, items, parcels, shipDay = "ship_day", merchantQuota = "merchant_quota", overQuota = "over_quota",
             refuseOverQuota = "refuse_over_quota"
    }

    /// The order as these rows store it, codes included: intake answers its `OrderView`,
    /// the one `GET /v1/orders/{id}` builds from the same rows later.
    let stored: StoredOrder

    /// Lays out `plan` for `request` with the ids drawn in `context`. `overQuota` is the
    /// quota outcome the response promises (without a promised date when true).
    init(request: OrderRequest, plan: SplitPlan, context: IntakeContext, resolved: ResolvedOrder, shipDayIndex dayIndex: Int,
         overQuota: Bool) throws {
        guard let orderId = context.orderId, context.shipmentIds.count >= plan.shipments.count else {
            throw DomainError.internalError("not enough ids drawn for \(plan.shipments.count) shipments")
        }
        let shipped = plan.shippedUnits
        let filled = shipped.values.reduce(into: [String: Int64]()) { total, units in
            for (sku, qty) in units { total[sku, default: 0] += qty }
        }
        let unfilledUnits = plan.unfilled.values.reduce(0, +)
        let status = unfilledUnits == 0 ? "accepted" : (filled.isEmpty ? "backordered" : "partially_filled")
        let shipDay = context.days[dayIndex], dueDate = context.days[dayIndex + 1]
        let promised = overQuota || filled.isEmpty ? nil : dueDate
        let quotaStatus = overQuota ? "over_quota" : "within_quota"

        var shipments: [Shipment] = [], items: [Item] = [], parcels: [Parcel] = [], storedShipments: [StoredOrder.Shipment] = []
        for (index, planned) in plan.shipments.enumerated() {
            guard let warehouse = context.warehouse(planned.warehouse) else {
                throw DomainError.internalError("the split chose unknown warehouse \(planned.warehouse)")
            }
            let id = context.shipmentIds[index]
            var cm3: Int64 = 0
            var coldChain = false
            for (code, qty) in (shipped[planned.warehouse] ?? [:]).sorted(by: { $0.key < $1.key }) where qty > 0 {
                guard let sku = resolved.skus[code] else { throw DomainError.internalError("the split shipped unknown SKU \(code)") }
                cm3 += sku.cm3 * qty
                coldChain = coldChain || sku.coldChain
                items.append(Item(shipmentId: id, warehouseId: warehouse.warehouseId, skuId: sku.id, qty: qty))
            }
            let grams = planned.parcels.reduce(0) { $0 + $1.grams }
            let tracking = String(format: "RP%010lld%02d", orderId, index + 1)
            shipments.append(Shipment(
                id: id, trackingNo: tracking, warehouseId: warehouse.warehouseId, pickupPointId: resolved.pickupPointId,
                depotId: resolved.depotId, zone: planned.parcels.first?.zone, grams: grams, cm3: cm3, costFen: planned.costFen,
                coldChain: coldChain, dueDate: dueDate, promisedDate: promised))
            let parcelViews = planned.parcels.enumerated().map { n, parcel in
                OrderView.Parcel(parcelNo: n + 1, grams: parcel.grams, costFen: parcel.costFen, items: parcel.items)
            }
            parcels += parcelViews.map {
                Parcel(shipmentId: id, parcelNo: $0.parcelNo, grams: $0.grams, costFen: $0.costFen, items: $0.items)
            }
            storedShipments.append(StoredOrder.Shipment(
                id: id, trackingNo: tracking, warehouse: planned.warehouse, status: "allocated", zone: planned.parcels.first?.zone,
                grams: grams, costFen: planned.costFen, dueDate: dueDate, depotArrival: nil, parcels: parcelViews))
        }

        let delivery = request.delivery
        let isPickup = delivery.mode == "pickup"
        order = Order(
            id: orderId, merchantId: resolved.merchant.id, externalRef: request.externalRef, channel: request.channel,
            recipientName: request.recipient.name, recipientPhone: request.recipient.phone, deliveryMode: delivery.mode,
            pickupPointId: resolved.pickupPointId, address: delivery.address, lat: resolved.destination.lat,
            lon: resolved.destination.lon, priority: request.priority ?? 0, status: status, promisedDate: promised,
            quotaStatus: quotaStatus, costFen: plan.costFen, explain: plan.explain, createdAt: context.createdAt)
        lines = request.lines.enumerated().map { i, line in
            Line(lineNo: i + 1, skuId: resolved.skus[line.sku]?.id ?? 0, qty: line.qty, allocatedQty: filled[line.sku] ?? 0)
        }
        self.shipments = shipments
        self.items = items
        self.parcels = parcels
        self.shipDay = shipDay
        self.merchantQuota = resolved.merchant.dailyQuota
        self.overQuota = overQuota
        self.refuseOverQuota = resolved.merchant.refuseOverQuota
        stored = StoredOrder(
            id: orderId, merchant: request.merchant, externalRef: request.externalRef, channel: request.channel, status: status,
            deliveryMode: delivery.mode, pickupPoint: isPickup ? delivery.pickupPoint : nil, priority: request.priority ?? 0,
            quotaStatus: quotaStatus, promisedDate: promised, costFen: plan.costFen, explain: plan.explain,
            createdAt: context.createdAt,
            lines: request.lines.map { StoredOrder.Line(sku: $0.sku, qty: $0.qty, allocatedQty: filled[$0.sku] ?? 0) },
            shipments: storedShipments)
    }
}
