import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Stock of one warehouse: read levels, receive units, adjust after a count.
struct InventoryController {
    let store: InventoryStore

    func register(_ routes: RouteTable) {
        let store = self.store
        routes.add(.get, "/v1/warehouses/{id}/inventory") { request, context in
            let paging = try Paging(request)
            let page = try await store.levels(
                warehouseId: try request.id(context: context), cursor: paging.cursor, limit: paging.limit,
                caller: try context.requireCaller())
            return try JSONResponse.make(page)
        }
        routes.add(.post, "/v1/warehouses/{id}/inventory/receive") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let movement = try await JSONBody.decode(InventoryStore.Movement.self, request, context: context, allowedKeys: ["sku", "qty", "reason"])
            return try JSONResponse.make(try await store.receive(warehouseId: id, movement, caller: caller))
        }
        routes.add(.post, "/v1/warehouses/{id}/inventory/adjust") { request, context in
            let caller = try context.requireCaller()
            let id = try request.id(context: context)
            let movement = try await JSONBody.decode(InventoryStore.Movement.self, request, context: context, allowedKeys: ["sku", "delta", "reason"])
            return try JSONResponse.make(try await store.adjust(warehouseId: id, movement, caller: caller))
        }
    }
}
