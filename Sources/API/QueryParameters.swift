import Hummingbird
import RuralPostCore

/// Refuses a query parameter holding a NUL character (PostgreSQL text cannot hold it)
/// with 422 naming the parameter, for every route.
struct QueryCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        for (name, value) in request.uri.queryParameters where value.utf8.contains(0) || name.utf8.contains(0) {
            throw APIError(.unprocessableContent, code: "invalid", message: "must not contain a NUL character",
                           field: String(name.utf8.contains(0) ? "query" : name))
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The query parameter `name` if given, which must be one of `allowed` (422 naming the
    /// parameter otherwise).
    func query(_ name: String, oneOf allowed: [String]) throws -> String? {
        guard let value = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard allowed.contains(value) else {
            throw APIError(.unprocessableContent, code: "invalid", message: "must be one of \(allowed.joined(separator: ", "))", field: name)
        }
        return value
    }
}
