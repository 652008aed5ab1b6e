import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Requires `Authorization: Bearer <key>` and sets `context.caller`.
/// Missing or unknown keys get 401.
struct AuthMiddleware: RouterMiddleware {
    let keys: APIKeyCache

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(.unauthorized, code: "unauthorized", message: "send Authorization: Bearer <api key>")
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let caller = try await keys.caller(for: secret) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "unknown or revoked API key")
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "api_key"] = "\(caller.keyId)"
        return try await next(request, context)
    }
}

/// Remembers authenticated keys for a short time so a busy client does not cost a
/// database round trip per request. Revocation takes effect within `ttl`.
actor APIKeyCache {
    private let store: APIKeyStore
    private let ttl: Duration
    private var entries: [String: (caller: Caller, until: ContinuousClock.Instant)] = [:]

    init(store: APIKeyStore, ttl: Duration = .seconds(10)) {
        self.store = store
        self.ttl = ttl
    }

    func caller(for secret: String) async throws -> Caller? {
        let now = ContinuousClock.now
        if let entry = entries[secret], entry.until > now { return entry.caller }
        guard let caller = try await store.authenticate(secret) else {
            entries[secret] = nil
            return nil
        }
        if entries.count > 10_000 { entries.removeAll() }
        entries[secret] = (caller, now + ttl)
        return caller
    }
}
