import Foundation
import Hummingbird
import NIOCore

/// The methods each route path (OpenAPI form, `/v1/warehouses/{id}`) answers, filled as
/// routes are registered and read on every request.
public final class PathMethods: @unchecked Sendable {
    private struct Template {
        let path: String
        /// Literal segments, or nil for a `{parameter}`.
        let segments: [String?]
        var methods: [String]
    }

    private let lock = NSLock()
    private var templates: [Template] = []

    public init() {}

    func register(_ method: String, _ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if let index = templates.firstIndex(where: { $0.path == path }) {
            if !templates[index].methods.contains(method) { templates[index].methods.append(method) }
        } else {
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
            templates.append(Template(path: path, segments: segments, methods: [method]))
        }
    }

    /// The methods of the route that `requestPath` resolves to, or nil when no route has
    /// that shape. Like the router, a literal segment wins over a parameter
    /// (`/v1/orders/batch` is the batch route, not the order with id `batch`).
    public func methods(for requestPath: String) -> [String]? {
        let parts = requestPath.split(separator: "/")
        lock.lock()
        defer { lock.unlock() }
        var best: (literals: Int, methods: [String])?
        for template in templates where template.segments.count == parts.count {
            var literals = 0
            var matches = true
            for (segment, part) in zip(template.segments, parts) {
                if let segment {
                    guard segment == part else { matches = false; break }
                    literals += 1
                }
            }
            if matches, literals > (best?.literals ?? -1) { best = (literals, template.methods) }
        }
        return best?.methods
    }
}

/// Answers a request for a known path with a method the path does not have: `405
/// method_not_allowed` with `Allow` listing the methods it has (RFC 9110 15.5.6), and
/// `OPTIONS` with `204` and the same `Allow`. Unknown paths go on to the router (404).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: PathMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = paths.methods(for: request.uri.path), !methods.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        var headers = HTTPFields()
        headers[.allow] = (methods + ["OPTIONS"]).joined(separator: ", ")
        if request.method == .options {
            return Response(status: .noContent, headers: headers)
        }
        headers[.contentType] = "application/json; charset=utf-8"
        let body = APIError.Body(error: .init(
            code: "method_not_allowed",
            message: "\(request.method.rawValue) is not allowed here; allowed: \(methods.joined(separator: ", "))",
            field: nil))
        let data = try JSONEncoder().encode(body)
        return Response(status: .methodNotAllowed, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
