import Foundation
import Hummingbird
import Logistics
import NIOCore
import Persistence
import RuralPostCore

/// An error response: `{"error": {"code", "message", "field"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    /// Seconds for `Retry-After` (503 answers).
    public let retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    struct Body: Codable, Sendable {
        struct Detail: Codable, Sendable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: .init(code: code, message: message, field: field)))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps any error thrown by a route to the API's error shape.
    public init(mapping error: any Error) {
        switch error {
        case let api as APIError:
            self = api
        case let store as DomainError:
            switch store {
            case .invalid(let field, let message): self.init(.unprocessableContent, code: "invalid", message: message, field: field)
            case .notFound(let message): self.init(.notFound, code: "not_found", message: message)
            case .conflict(let field, let message): self.init(.conflict, code: "conflict", message: message, field: field)
            case .forbidden(let message): self.init(.forbidden, code: "forbidden", message: message)
            case .unavailable:
                self.init(.serviceUnavailable, code: "database_unavailable",
                          message: "the database is unreachable; retry shortly", retryAfter: 2)
            case .internalError: self.init(.internalServerError, code: "internal", message: "internal error")
            }
        case is NIOTooManyBytesError:
            self.init(.contentTooLarge, code: "body_too_large", message: "the request body is too large")
        case let http as HTTPError:
            let code: String
            switch http.status {
            case .contentTooLarge: code = "body_too_large"
            case .notFound: code = "not_found"
            case .badRequest: code = "bad_request"
            case .methodNotAllowed: code = "method_not_allowed"
            case .unsupportedMediaType: code = "unsupported_media_type"
            default: code = "http_\(http.status.code)"
            }
            self.init(http.status, code: code, message: http.body ?? http.status.reasonPhrase)
        default:
            // Database errors surface here too (rows are read lazily, after the store's
            // own mapping); map them the same way.
            let store = DomainError(mapping: error)
            if case .internalError = store {
                self.init(.internalServerError, code: "internal", message: "internal error")
            } else {
                self.init(mapping: store)
            }
        }
    }
}

/// Turns every error into the JSON error shape, and logs server-side failures.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let api = APIError(mapping: error)
            // 503s (database unreachable, overload) are counted in the request metrics and
            // the outage is logged once by the pool: one line per request would flood the log.
            if api.status.code >= 500, api.status != .serviceUnavailable {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return try api.response(from: request, context: context)
        }
    }
}
