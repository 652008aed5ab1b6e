import Foundation
import Hummingbird
import Logistics
import Persistence
import Prometheus
import RuralPostCore

/// Liveness, readiness, metrics and the API description.
struct SystemController {
    let database: Database
    let registry: PrometheusCollectorRegistry
    let openAPIDocument: Data

    func register(_ routes: RouteTable) {
        let database = self.database
        let registry = self.registry
        let document = self.openAPIDocument
        routes.add(.get, "/healthz") { _, _ in
            try JSONResponse.make(Health(status: "ok"))
        }
        routes.add(.get, "/readyz") { _, _ in
            // Ready when the pool's monitor reaches the database and a `SELECT 1` through
            // the pool answers within 800 ms: a load balancer gets its answer within a
            // second even when the database has just gone away.
            let ready = database.pool.isAvailable ? await Deadline.first(within: .milliseconds(800)) {
                try await database.ping()
                return true
            } ?? false : false
            if ready { return try JSONResponse.make(Health(status: "ready")) }
            return try JSONResponse.make(Health(status: "database unreachable"), status: .serviceUnavailable, headers: [.retryAfter: "2"])
        }
        routes.add(.get, "/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        routes.add(.get, "/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}

/// What `/healthz` and `/readyz` answer.
struct Health: Encodable {
    let status: String
}
