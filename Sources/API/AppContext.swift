import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Per-request context: the authenticated caller, set by `AuthMiddleware`.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The API key behind the request; nil until authenticated.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies above this many bytes get 413 (bulk endpoints read their own limit).
    public var maxUploadSize: Int { 1 << 20 }

    /// The caller, which every `/v1` route has (the auth middleware guarantees it).
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIError(.unauthorized, code: "unauthorized", message: "missing API key") }
        return caller
    }
}
