import Foundation
import HTTPTypes
import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Pickup-point operations: check-in, hand-over against a code, shelf lookup, the
/// counter view, extension and unlock.
struct PickupController {
    let service: PickupService
    let queries: PickupQueries

    func register(_ routes: RouteTable) {
        let service = self.service, queries = self.queries
        routes.add(.post, "/v1/pickup-points/{id}/arrivals") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let arrival = try await JSONBody.decode(ArrivalRequest.self, request, context: context, allowedKeys: ["parcels"])
            let views = try await service.checkIn(pointId: id, arrival, caller: caller)
            return try JSONResponse.make(ArrivalsView(items: views), status: .created)
        }
        routes.add(.post, "/v1/pickup-points/{id}/collect") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let body = try await JSONBody.decode(CollectRequest.self, request, context: context,
                                                 allowedKeys: ["code", "phoneLast4", "collectedBy"])
            switch try await service.collect(pointId: id, body, caller: caller) {
            case .collected(let views):
                return try JSONResponse.make(ArrivalsView(items: views))
            case .wrongCode(let left):
                let tail = left.map { $0 == 0 ? "; the parcels are now locked" : "; \($0) attempt(s) left before the parcels lock" } ?? ""
                throw APIError(.unprocessableContent, code: "wrong_code",
                               message: "wrong pickup code or no waiting parcel for these phone digits\(tail)", field: "code")
            case .locked:
                throw APIError(.init(code: 423, reasonPhrase: "Locked"), code: "locked",
                               message: "this recipient's parcels are locked after repeated wrong codes; staff must unlock them")
            case .rateLimited(let seconds):
                var response = try APIError(.tooManyRequests, code: "rate_limited",
                                            message: "too many wrong pickup codes at this point or from this key; retry later")
                    .response(from: request, context: context)
                response.headers[.retryAfter] = "\(seconds)"
                return response
            }
        }
        routes.add(.get, "/v1/pickup-points/{id}/pickups") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            let query = request.uri.queryParameters
            let page = try await queries.list(
                pointId: try request.id(context: context), phoneLast4: query["phoneLast4"].map(String.init),
                status: query["status"].map(String.init), cursor: paging.cursor, limit: paging.limit, caller: caller)
            return try JSONResponse.make(page)
        }
        routes.add(.get, "/v1/pickup-points/{id}/counter") { request, context in
            try JSONResponse.make(try await queries.counter(pointId: try request.id(context: context), caller: try context.requireCaller()))
        }
        routes.add(.post, "/v1/pickup-points/{id}/pickups/{pickupId}/extend") { request, context in
            let caller = try context.requireCaller()
            let view = try await service.extend(pointId: try request.id(context: context),
                                                pickupId: try request.id("pickupId", context: context), caller: caller)
            return try JSONResponse.make(view)
        }
        routes.add(.post, "/v1/pickup-points/{id}/pickups/{pickupId}/unlock") { request, context in
            let caller = try context.requireCaller()
            let pointId = try request.id(context: context), pickupId = try request.id("pickupId", context: context)
            let body = try await JSONBody.decode(UnlockBody.self, request, context: context, allowedKeys: ["reason"])
            return try JSONResponse.make(try await service.unlock(pointId: pointId, pickupId: pickupId, reason: body.reason, caller: caller))
        }
    }

    struct ArrivalsView: Encodable { let items: [PickupView] }
    struct UnlockBody: Decodable { let reason: String }
}
