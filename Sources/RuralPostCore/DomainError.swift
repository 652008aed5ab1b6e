/// What can go wrong in a use case, in domain terms: the API maps each case to an HTTP
/// status, the CLI to a message and exit code.
public enum DomainError: Error, Equatable, CustomStringConvertible {
    /// A value is not acceptable; `field` names it (API: 422).
    case invalid(field: String, message: String)
    /// No such object, or not visible to the caller (API: 404).
    case notFound(String)
    /// A unique key is taken or a state does not allow the change (API: 409).
    case conflict(field: String?, message: String)
    /// The caller's role does not allow the action (API: 403).
    case forbidden(String)
    /// The database cannot be reached, or the connection to it broke: nothing was done,
    /// or (a commit cut off) it is unknown whether it was; retry, with the same
    /// idempotency key (API: 503 `database_unavailable` with `Retry-After`).
    case unavailable(String)
    /// A bug, or a database answer nothing else explains (API: 500).
    case internalError(String)

    public var description: String {
        switch self {
        case .invalid(let field, let message): return "\(field): \(message)"
        case .notFound(let message), .forbidden(let message), .internalError(let message), .unavailable(let message): return message
        case .conflict(let field, let message): return field.map { "\($0): \(message)" } ?? message
        }
    }
}

/// `cold_chain` -> `coldChain`.
public func camelCase(_ snake: String) -> String {
    let parts = snake.split(separator: "_")
    guard let first = parts.first else { return snake }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}
