import Hummingbird
import Persistence

/// Registers routes and remembers each as (method, OpenAPI path) so the OpenAPI
/// document can be checked against what the server really serves.
public final class RouteTable: @unchecked Sendable {
    public struct Route: Hashable, Sendable {
        public let method: String
        /// OpenAPI form: `/v1/warehouses/{id}`.
        public let path: String
    }

    public private(set) var routes: [Route] = []
    let router: Router<AppContext>
    let v1: RouterGroup<AppContext>

    let paths: PathMethods
    /// Whose outages cut `/v1` requests off (`OutageCutOff`).
    let pool: DatabasePool

    /// `/v1` routes need a key (`auth`) and a request slot (`gate`).
    init(router: Router<AppContext>, paths: PathMethods, gate: AdmissionGate, auth: AuthMiddleware, pool: DatabasePool) {
        self.router = router
        self.paths = paths
        self.pool = pool
        self.v1 = router.group("v1").add(middleware: AdmissionMiddleware(gate: gate)).add(middleware: auth)
    }

    /// Adds `handler` for `method` on `path` (`/v1/...` paths require an API key).
    func add(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, AppContext) async throws -> Response
    ) {
        routes.append(Route(method: method.rawValue, path: path))
        paths.register(method.rawValue, path)
        // Hummingbird spells parameters `:id` where OpenAPI spells `{id}`.
        let hbPath = path.split(separator: "/").map { part in
            part.hasPrefix("{") ? ":" + part.dropFirst().dropLast() : String(part)
        }
        if hbPath.first == "v1" {
            let pool = self.pool
            v1.on(RouterPath(hbPath.dropFirst().joined(separator: "/")), method: method) { request, context in
                try await OutageCutOff.run(pool: pool, grace: OutageCutOff.grace) { try await handler(request, context) }
            }
        } else {
            router.on(RouterPath(hbPath.joined(separator: "/")), method: method, use: handler)
        }
    }
}

extension Request {
    /// The integer path parameter `name`; a non-integer is 404 (no such object).
    func id(_ name: String = "id", context: AppContext) throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, code: "not_found", message: "no object \(context.parameters.get(name) ?? "")")
        }
        return id
    }
}
