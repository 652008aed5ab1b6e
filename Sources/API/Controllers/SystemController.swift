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
            do {
                try await database.ping()
                return try JSONResponse.make(Health(status: "ready"))
            } catch {
                return try JSONResponse.make(Health(status: "database unreachable"), status: .serviceUnavailable)
            }
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
