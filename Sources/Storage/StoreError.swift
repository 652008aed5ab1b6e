import PostgresNIO

/// What can go wrong in the storage layer, in terms the API maps to HTTP statuses.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// 422: a value is not acceptable; `field` names it.
    case invalid(field: String, message: String)
    /// 404: no such object (or not visible to the caller).
    case notFound(String)
    /// 409: a unique key is taken or a state does not allow the change.
    case conflict(field: String?, message: String)
    /// 403: the caller's role or scope does not allow it.
    case forbidden(String)
    /// 500: a bug or an unreachable database.
    case internalError(String)

    public var description: String {
        switch self {
        case .invalid(let field, let message): return "\(field): \(message)"
        case .notFound(let message), .forbidden(let message), .internalError(let message): return message
        case .conflict(let field, let message): return field.map { "\($0): \(message)" } ?? message
        }
    }

    /// Maps PostgreSQL errors to domain errors: unique violations are conflicts,
    /// CHECK / NOT NULL / foreign-key violations are invalid input naming the column.
    public init(mapping error: any Error) {
        if let store = error as? StoreError {
            self = store
            return
        }
        if let transaction = error as? PostgresTransactionError,
           let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
            self.init(mapping: inner)
            return
        }
        guard let psql = error as? PSQLError, let info = psql.serverInfo,
              let state = info[.sqlState]
        else {
            self = .internalError(String(reflecting: error))
            return
        }
        let table = info[.tableName] ?? ""
        let constraint = info[.constraintName] ?? ""
        let field = info[.columnName] ?? StoreError.column(fromConstraint: constraint, table: table)
        let message = info[.message] ?? "database error"
        switch state {
        case "23505": self = .conflict(field: field, message: "already exists (\(info[.detail] ?? message))")
        case "23514", "23502", "22P02", "22003", "22007", "22008":
            self = .invalid(field: field ?? "body", message: message)
        case "23503": self = .invalid(field: field ?? "body", message: "refers to an object that does not exist")
        case "40001", "40P01": self = .conflict(field: nil, message: "concurrent update, retry")
        default: self = .internalError("\(state): \(message)")
        }
    }

    /// `warehouses_lat_check` on table `warehouses` -> `lat`; camelCased for the API.
    static func column(fromConstraint constraint: String, table: String) -> String? {
        var name = constraint
        if name.hasPrefix(table + "_") { name.removeFirst(table.count + 1) }
        for suffix in ["_check", "_key", "_fkey", "_idx"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        guard !name.isEmpty, name != constraint else { return nil }
        return camelCase(name)
    }
}

/// `cold_chain` -> `coldChain`.
public func camelCase(_ snake: String) -> String {
    let parts = snake.split(separator: "_")
    guard let first = parts.first else { return snake }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}
