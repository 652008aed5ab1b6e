import Foundation
import HTTPTypes
import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Order intake, reading, cancellation, quotes and the bulk NDJSON endpoint.
struct OrderController {
    let service: OrderService
    let queries: OrderQueries
    let lifecycle: ShipmentLifecycle
    /// Orders of one NDJSON batch submitted at once.
    let batchConcurrency: Int

    /// NDJSON bulk bodies may be large: up to 10,000 orders.
    static let maxBatchItems = 10_000
    static let maxBatchBytes = 32 << 20

    func register(_ routes: RouteTable) {
        let service = self.service, queries = self.queries, lifecycle = self.lifecycle, batchConcurrency = self.batchConcurrency
        routes.add(.post, "/v1/orders") { request, context in
            let caller = try context.requireCaller()
            guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
                throw APIError(.badRequest, code: "missing_idempotency_key", message: "send an Idempotency-Key header", field: "Idempotency-Key")
            }
            let body = try await JSONBody.bytes(request, context: context)
            let order = try JSONBody.decode(OrderRequest.self, from: body, shape: .order)
            let response = try await service.submit(order, idempotencyKey: key, caller: caller)
            var headers: HTTPFields = [:]
            if response.replayed { headers[.idempotentReplayed] = "true" }
            // A replay answers what the first request was answered: 201 and the same bytes.
            return JSONResponse.raw(response.body, status: .created, headers: headers)
        }
        routes.add(.get, "/v1/orders") { request, context in
            let paging = try Paging(request)
            let query = request.uri.queryParameters
            let status = try request.query("status", oneOf: ["accepted", "partially_filled", "backordered", "cancelled", "completed"])
            let page = try await queries.list(merchant: query["merchant"].map(String.init), status: status,
                                              cursor: paging.cursor, limit: paging.limit, caller: try context.requireCaller())
            return try JSONResponse.make(page)
        }
        routes.add(.get, "/v1/orders/{id}") { request, context in
            JSONResponse.raw(try await queries.get(id: try request.id(context: context), caller: try context.requireCaller()))
        }
        routes.add(.post, "/v1/orders/{id}/cancel") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            var reason: String?
            if request.headers[.contentType] != nil {
                reason = try JSONBody.decode(CancelBody.self, from: try await JSONBody.bytes(request, context: context), allowedKeys: ["reason"]).reason
            }
            try await lifecycle.cancel(orderId: id, reason: reason, caller: caller)
            return JSONResponse.raw(try await queries.get(id: id, caller: caller))
        }
        routes.add(.post, "/v1/quotes") { request, context in
            let caller = try context.requireCaller()
            let order = try await JSONBody.decode(OrderRequest.self, request, context: context, shape: .order)
            return try JSONResponse.make(try await service.quote(order, caller: caller))
        }
        routes.add(.post, "/v1/orders/batch") { request, context in
            let caller = try context.requireCaller()
            let body = try await JSONBody.bytes(request, context: context, limit: Self.maxBatchBytes, contentType: "application/x-ndjson")
            let results = try await OrderBatch(service: service, concurrency: batchConcurrency).run(ndjson: body, caller: caller, maxItems: Self.maxBatchItems)
            return try JSONResponse.make(results)
        }
        routes.add(.post, "/v1/shipments/{id}/status") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let change = try await JSONBody.decode(StatusBody.self, request, context: context, allowedKeys: ["status", "note", "depotArrival"])
            try await lifecycle.transition(shipmentId: id, to: change.status, note: change.note, depotArrival: change.depotArrival,
                                           caller: caller)
            return try JSONResponse.make(StatusView(status: change.status))
        }
    }

    struct CancelBody: Decodable { let reason: String? }
    struct StatusBody: Decodable { let status: String; let note: String?; let depotArrival: String? }
    struct StatusView: Encodable { let status: String }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
