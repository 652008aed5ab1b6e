import Foundation
import HTTPTypes
import Hummingbird
import Planning
import Logistics
import RuralPostCore

/// What the plan-review screen needs beyond the job routes: the plans of a depot, and a
/// stored plan as the same self-contained HTML map and driver sheets as `plan --map`.
extension RoutePlanController {
    func registerReview(_ routes: RouteTable) {
        let store = self.store
        routes.add(.get, "/v1/route-plans") { request, context in
            let caller = try context.requireCaller()
            try Self.requirePlanner(caller)
            let query = request.uri.queryParameters
            let paging = try Paging(request)
            guard let depot = query["depot"].map(String.init), !depot.isEmpty else {
                throw DomainError.invalid(field: "depot", message: "name the depot by its code")
            }
            guard let depotId = try await store.depotId(code: depot), caller.allows(.depot, depotId) else {
                throw DomainError.invalid(field: "depot", message: "unknown depot \(depot)")
            }
            let before = try paging.cursor.map { try Cursor.decode($0) }
            let fetched = try await store.summaries(depotId: depotId, date: query["date"].map(String.init),
                                                    beforeId: before, limit: paging.limit + 1)
            return try JSONResponse.make(Page(fetched: fetched, limit: paging.limit, key: \.id))
        }
        routes.add(.get, "/v1/route-plans/{id}/map") { request, context in
            let id = try await Self.visiblePlan(request, context: context, store: store)
            let status = try await store.status(id: id)
            guard let plan = status.plan else {
                throw DomainError.conflict(field: "status", message: "plan \(id) is \(status.status): it has no routes yet")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            // The page has no scripts and no external references; keep it that way in a browser too.
            headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: PlanMap.html(plan))))
        }
    }
}
