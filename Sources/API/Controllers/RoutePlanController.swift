import Foundation
import Hummingbird
import Logistics
import Persistence
import Planning
import RuralPostCore

/// Route plans as jobs: `POST /v1/route-plans` queues one (202 + Location), a worker
/// in the server plans it, `GET /v1/route-plans/{id}` shows status and result, and
/// `POST /v1/route-plans/{id}/commit` assigns its shipments.
struct RoutePlanController {
    let store: RoutePlanStore

    struct PlanJobRequest: Decodable {
        let depot: String
        let date: String
        let timeLimit: Double?
        let seed: UInt64?
        let iterations: Int?
    }

    func register(_ routes: RouteTable) {
        let store = self.store
        routes.add(.post, "/v1/route-plans") { request, context in
            let caller = try context.requireCaller()
            try Self.requirePlanner(caller)
            let body = try await JSONBody.decode(PlanJobRequest.self, request, context: context,
                                                 allowedKeys: ["depot", "date", "timeLimit", "seed", "iterations"])
            if let seed = body.seed, seed > UInt64(Int64.max) {
                throw DomainError.invalid(field: "seed", message: "must be between 0 and \(Int64.max)")
            }
            if let iterations = body.iterations, !(1...1_000_000_000).contains(iterations) {
                throw DomainError.invalid(field: "iterations", message: "must be between 1 and 1000000000")
            }
            guard let depotId = try await store.depotId(code: body.depot), caller.allows(.depot, depotId) else {
                throw DomainError.invalid(field: "depot", message: "unknown depot \(body.depot)")
            }
            guard let id = try await store.enqueue(depotCode: body.depot, date: body.date, timeLimitSeconds: body.timeLimit ?? 30,
                                                   seed: body.seed ?? 1, iterations: body.iterations)
            else {
                throw DomainError.conflict(field: "depot", message: "a plan for \(body.depot) on \(body.date) is already queued or running")
            }
            return try JSONResponse.make(try await store.status(id: id), status: .accepted, headers: [.location: "/v1/route-plans/\(id)"])
        }
        routes.add(.get, "/v1/route-plans/{id}") { request, context in
            let id = try await Self.visiblePlan(request, context: context, store: store)
            return try JSONResponse.make(try await store.status(id: id))
        }
        routes.add(.post, "/v1/route-plans/{id}/commit") { request, context in
            let id = try await Self.visiblePlan(request, context: context, store: store)
            return try JSONResponse.make(try await store.commit(planId: id, apiKeyId: try context.requireCaller().keyId))
        }
        registerReview(routes)
    }

    static func requirePlanner(_ caller: Caller) throws {
        try AccessPolicy.require(caller, .planRoutes)
    }

    /// The plan id from the path, if the caller may see that depot's plans.
    static func visiblePlan(_ request: Request, context: AppContext, store: RoutePlanStore) async throws -> Int64 {
        let caller = try context.requireCaller()
        try requirePlanner(caller)
        let id = try request.id(context: context)
        guard let depot = try await store.depotId(planId: id), caller.allows(.depot, depot) else {
            throw DomainError.notFound("no route plan \(id)")
        }
        return id
    }
}
