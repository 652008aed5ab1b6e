import PostgresNIO
import RuralPostCore

extension DomainError {
    /// Maps PostgreSQL errors to domain errors: unique violations are conflicts,
    /// CHECK / NOT NULL / foreign-key violations are invalid input naming the column.
    public init(mapping error: any Error) {
        if let store = error as? DomainError {
            self = store
            return
        }
        if DomainError.isConnectionFailure(error) {
            self = .unavailable("the connection to the database failed")
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
        let field = info[.columnName] ?? DomainError.column(fromConstraint: constraint, table: table)
        let message = info[.message] ?? "database error"
        switch state {
        case "23505": self = .conflict(field: field, message: "already exists (\(info[.detail] ?? message))")
        case "23514", "23502", "22P02", "22003", "22007", "22008", "22021":
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
