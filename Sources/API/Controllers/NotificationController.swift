import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// The notification outbox as staff see it: delivery state and dead letters.
struct NotificationController {
    let outbox: NotificationOutbox

    func register(_ routes: RouteTable) {
        let outbox = self.outbox
        routes.add(.get, "/v1/notifications") { request, context in
            let caller = try context.requireCaller()
            let paging = try Paging(request)
            let page = try await outbox.list(status: request.uri.queryParameters["status"].map(String.init),
                                             cursor: paging.cursor, limit: paging.limit, caller: caller)
            return try JSONResponse.make(page)
        }
        routes.add(.post, "/v1/notifications/{id}/retry") { request, context in
            let caller = try context.requireCaller()
            return try JSONResponse.make(try await outbox.retry(id: try request.id(context: context), caller: caller))
        }
    }
}
