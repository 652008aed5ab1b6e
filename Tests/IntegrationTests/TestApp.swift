import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A running server on a fresh database, with keys for each role.
struct TestApp {
    let client: any TestClientProtocol
    let database: Database
    let settings: DatabaseSettings
    let admin: String
    let routes: [RouteTable.Route]

    /// Runs `body` against the real HTTP server (port 0) on a fresh database.
    static func run(_ body: @Sendable (TestApp) async throws -> Void) async throws {
        try await run(on: try await TestCluster.freshDatabase(), body)
    }

    /// Runs `body` against the real HTTP server on the (migrated) database of `settings`.
    static func run(on settings: DatabaseSettings, _ body: @Sendable (TestApp) async throws -> Void) async throws {
        let built = try buildApplication(settings: settings, config: AppConfig(host: "127.0.0.1", port: 0), logger: TestCluster.logger)
        try await Database.with(settings, logger: TestCluster.logger, maxConnections: 4) { database in
            let (_, admin) = try await APIKeyStore(database: database).create(role: .admin, name: "test admin", scopes: [])
            try await built.application.test(.live) { client in
                try await body(TestApp(client: client, database: database, settings: settings, admin: admin, routes: built.routes))
            }
        }
    }

    /// A new key with `role` limited to `scopes` (kind, code).
    func key(_ role: Role, _ scopes: [(ScopeKind, String)] = []) async throws -> String {
        try await APIKeyStore(database: database).create(role: role, name: "test", scopes: scopes).1
    }

    /// Sends a request; `json` is encoded as the body with Content-Type application/json.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, key: String? = nil, json: Any? = nil,
        body: String? = nil, contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = contentType ?? "application/json"
        } else if let body {
            buffer = ByteBuffer(string: body)
            headers[.contentType] = contentType ?? "application/json"
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: buffer)
        return Reply(status: response.status.code, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    /// Rows in `table` (to prove an error wrote nothing).
    func count(_ table: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table)"))
        for try await n in rows.decode(Int64.self) { return Int(n) }
        return 0
    }
}

/// A response with helpers to read its JSON.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var id: Int64 { (json["id"] as? NSNumber)?.int64Value ?? -1 }
}

import PostgresNIO
import Logistics
import Persistence
import RuralPostCore

/// Sample master data used across tests.
enum Samples {
    static func warehouse(_ code: String, lat: Double = 30.0, lon: Double = 110.0, coldChain: Bool = false) -> [String: Any] {
        ["code": code, "name": "Warehouse \(code)", "kind": "regional", "lat": lat, "lon": lon,
         "coldChain": coldChain, "dailyCapacity": 5000]
    }

    static func merchant(_ code: String) -> [String: Any] {
        ["code": code, "name": "Merchant \(code)"]
    }

    static func sku(_ code: String, merchantId: Int64, grams: Int64 = 2500) -> [String: Any] {
        ["code": code, "merchantId": merchantId, "name": "SKU \(code)", "grams": grams, "cm3": 3000, "category": "fresh"]
    }
}
