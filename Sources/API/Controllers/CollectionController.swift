import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Produce collection (揽收) at a pickup point.
struct CollectionController {
    let service: CollectionService

    func register(_ routes: RouteTable) {
        let service = self.service
        routes.add(.post, "/v1/pickup-points/{id}/collections") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let body = try await JSONBody.decode(CollectionService.Request.self, request, context: context,
                                                 allowedKeys: CollectionService.Request.fieldNames)
            let view = try await service.create(pointId: id, body, caller: caller)
            return try JSONResponse.make(view, status: .created)
        }
        routes.add(.get, "/v1/pickup-points/{id}/collections") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            let page = try await service.list(pointId: try request.id(context: context),
                                              status: try request.query("status", oneOf: ["open", "planned", "collected", "cancelled"]),
                                              cursor: paging.cursor, limit: paging.limit, caller: caller)
            return try JSONResponse.make(page)
        }
        routes.add(.post, "/v1/pickup-points/{id}/collections/{collectionId}/cancel") { request, context in
            let caller = try context.requireCaller()
            let pointId = try request.id(context: context), collectionId = try request.id("collectionId", context: context)
            var reason: String?
            if request.headers[.contentType] != nil {
                reason = try JSONBody.decode(CancelBody.self, from: try await JSONBody.bytes(request, context: context),
                                             allowedKeys: ["reason"]).reason
            }
            return try JSONResponse.make(try await service.cancel(pointId: pointId, collectionId: collectionId, reason: reason,
                                                                  caller: caller))
        }
    }

    struct CancelBody: Decodable { let reason: String? }
}
