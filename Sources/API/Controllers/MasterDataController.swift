import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// `GET/POST /v1/<things>` and `GET/PATCH /v1/<things>/{id}` for a master-data record.
struct MasterDataController<Record: MasterRecord> {
    let store: MasterDataStore<Record>
    /// URL segment, e.g. `pickup-points`.
    let path: String

    func register(_ routes: RouteTable) {
        let store = self.store
        let allowed = Record.fieldNames
        routes.add(.get, "/v1/\(path)") { request, context in
            let paging = try Paging(request)
            let page = try await store.list(cursor: paging.cursor, limit: paging.limit, caller: try context.requireCaller())
            return try JSONResponse.make(page)
        }
        routes.add(.post, "/v1/\(path)") { request, context in
            let caller = try context.requireCaller()
            let input = try await JSONBody.decode(Record.self, request, context: context, allowedKeys: allowed)
            let created = try await store.create(input, caller: caller)
            return try JSONResponse.make(created, status: .created, headers: [.location: "/v1/\(path)/\(created.id)"])
        }
        routes.add(.get, "/v1/\(path)/{id}") { request, context in
            try JSONResponse.make(try await store.get(id: try request.id(context: context), caller: try context.requireCaller()))
        }
        routes.add(.patch, "/v1/\(path)/{id}") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let patch = try await JSONBody.object(request, context: context)
            return try JSONResponse.make(try await store.update(id: id, patch: patch, caller: caller))
        }
    }
}
