import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// `/v1/tariffs`: readable by every role, changed by admins.
struct TariffController {
    let store: TariffStore

    func register(_ routes: RouteTable) {
        let store = self.store
        routes.add(.get, "/v1/tariffs") { request, context in
            let paging = try Paging(request)
            return try JSONResponse.make(try await store.list(cursor: paging.cursor, limit: paging.limit, caller: try context.requireCaller()))
        }
        routes.add(.post, "/v1/tariffs") { request, context in
            let caller = try context.requireCaller()
            let input = try await JSONBody.decode(TariffRecord.self, request, context: context, shape: .tariff)
            let created = try await store.create(input, caller: caller)
            return try JSONResponse.make(created, status: .created, headers: [.location: "/v1/tariffs/\(created.id)"])
        }
        routes.add(.get, "/v1/tariffs/{id}") { request, context in
            try JSONResponse.make(try await store.get(id: try request.id(context: context), caller: try context.requireCaller()))
        }
        routes.add(.patch, "/v1/tariffs/{id}") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let patch = try await JSONBody.object(request, context: context)
            try JSONShape.tariff.check(patch)
            return try JSONResponse.make(try await store.update(id: id, patch: patch, caller: caller))
        }
    }
}
