import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Runs the demo day through the product: orders through order intake (the code path
/// of `POST /v1/orders`), shipments through pick, pack, dispatch and arrival at the
/// depot, and produce registered for collection at village stations.
public struct DemoIntake: Sendable {
    let database: Database
    let caller: Caller
    /// Orders and transitions in flight at once.
    let concurrency = 8

    public struct Stats: Sendable {
        public var accepted = 0, partial = 0, backordered = 0, refused = 0, split = 0
    }

    public init(database: Database, caller: Caller) {
        self.database = database
        self.caller = caller
    }

    public func submitOrders(_ orders: [DemoCounty.Order], seed: UInt64) async throws -> Stats {
        let service = OrderService(database: database)
        let requests = orders.map { o in
            OrderRequest(merchant: o.merchant, channel: o.channel, recipient: .init(name: o.recipientName, phone: o.recipientPhone),
                         delivery: o.pickupPoint.map { .init(mode: "pickup", pickupPoint: $0) }
                             ?? .init(mode: "home", address: o.address, lat: o.location.lat, lon: o.location.lon),
                         lines: o.lines.map { .init(sku: $0.sku, qty: $0.qty) }, priority: o.priority)
        }
        let caller = self.caller
        let outcomes = try await forEachConcurrently(Array(requests.enumerated())) { index, request -> String in
            do {
                let response = try await service.submit(request, idempotencyKey: "demo-\(seed)-\(index)", caller: caller)
                let view = try JSONDecoder().decode(OrderView.self, from: response.body)
                return view.shipments.count > 1 ? view.status + "+split" : view.status
            } catch let error as DomainError {
                if case .conflict = error { return "refused" }
                throw error
            }
        }
        var stats = Stats()
        for outcome in outcomes {
            if outcome.hasSuffix("+split") { stats.split += 1 }
            switch outcome.replacingOccurrences(of: "+split", with: "") {
            case "accepted": stats.accepted += 1
            case "partially_filled": stats.partial += 1
            case "backordered": stats.backordered += 1
            default: stats.refused += 1
            }
        }
        return stats
    }

    /// What `moveToDepot` did: shipments now at the depot, and shipments on the line-haul
    /// (dispatched, expected at the depot at `lineHaulArrival`).
    public struct Movement: Sendable {
        public var atDepot = 0
        public var onLineHaul = 0
    }

    /// Moves every allocated shipment through pick, pack and dispatch. Those from
    /// `lineHaulWarehouse` (far away: the prefecture's cloud warehouse) travel on the
    /// line-haul truck and are expected at the depot at `lineHaulArrival`; the others
    /// arrive at once.
    public func moveToDepot(lineHaulWarehouse: String?, lineHaulArrival: Date?) async throws -> Movement {
        var rows: [(Int64, Bool)] = []
        for try await row in try await database.query("""
            SELECT s.id, w.code IS NOT DISTINCT FROM \(lineHaulWarehouse) FROM shipments s LEFT JOIN warehouses w ON w.id = s.warehouse_id
            WHERE s.status = 'allocated' ORDER BY s.id
            """).decode((Int64, Bool).self) {
            rows.append(row)
        }
        let lifecycle = ShipmentLifecycle(database: database)
        let caller = self.caller
        let arrival = lineHaulArrival.map { date -> String in
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withInternetDateTime]
            return format.string(from: date)
        }
        let lineHaul = try await forEachConcurrently(rows) { id, far -> Bool in
            for status in [ShipmentStatus.picked, .packed] {
                try await lifecycle.transition(shipmentId: id, to: status.rawValue, note: "demo", caller: caller)
            }
            if far, let arrival {
                try await lifecycle.transition(shipmentId: id, to: ShipmentStatus.dispatched.rawValue, note: "demo: on the line-haul",
                                               depotArrival: arrival, caller: caller)
                return true
            }
            for status in [ShipmentStatus.dispatched, .atDepot] {
                try await lifecycle.transition(shipmentId: id, to: status.rawValue, note: "demo", caller: caller)
            }
            return false
        }
        return Movement(atDepot: lineHaul.filter { !$0 }.count, onLineHaul: lineHaul.filter { $0 }.count)
    }

    public func registerCollections(_ county: DemoCounty, pointIds: [String: Int64], readyDate: String) async throws -> Int {
        let service = CollectionService(database: database)
        for c in county.collections {
            let json = #"{"merchant":"\#(c.merchant)","grams":\#(c.grams),"cm3":\#(c.cm3),"destination":"\#(c.destination)","readyDate":"\#(readyDate)"}"#
            let request = try JSONDecoder().decode(CollectionService.Request.self, from: Data(json.utf8))
            _ = try await service.create(pointId: pointIds[c.pickupPoint]!, request, caller: caller)
        }
        return county.collections.count
    }

    /// Runs `body` over `items` with bounded concurrency, results in input order.
    func forEachConcurrently<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(concurrency, items.count) {
                let i = next
                group.addTask { (i, try await body(items[i])) }
                next += 1
            }
            for try await (i, result) in group {
                results[i] = result
                if next < items.count {
                    let j = next
                    group.addTask { (j, try await body(items[j])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
