@testable import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Logistics
import Persistence
import Testing

/// The browser screens under `/app/`: served from memory with the right types and
/// validators, nothing outside the folder, no listings.
@Suite struct StaticAppTests {
    /// A router with only the static files of `folder` (no database needed).
    static func withRouter(_ folder: URL, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: AppContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: StaticFilesMiddleware(files: try StaticFiles.load(folder: folder)))
        router.get("v1/ping") { _, _ in "pong" }
        try await Application(router: router).test(.router, body)
    }

    static func project() throws -> URL { try ProjectFiles.directory(StaticFiles.folder) }

    @Test func indexAndModulesAreServedWithTheirTypes() async throws {
        try await Self.withRouter(try Self.project()) { client in
            let index = try await client.execute(uri: "/app/", method: .get)
            #expect(index.status == .ok)
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            #expect(index.headers[.cacheControl] == "no-cache")
            #expect(index.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
            #expect(index.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let html = String(buffer: index.body)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(String(buffer: try await client.execute(uri: "/app/index.html", method: .get).body) == html)

            // Every file the page refers to is there, with the type a browser requires
            // (module scripts are refused unless served as JavaScript).
            let refs = html.matches(of: /(?:src|href)="\.\/([^"]+)"/).map { String($0.1) }
            #expect(!refs.isEmpty)
            for ref in refs {
                let file = try await client.execute(uri: "/app/\(ref)", method: .get)
                #expect(file.status == .ok, "\(ref)")
                let expected = ref.hasSuffix(".js") ? "text/javascript" : ref.hasSuffix(".css") ? "text/css" : ref.hasSuffix(".svg") ? "image/svg+xml" : "?"
                #expect(file.headers[.contentType]?.hasPrefix(expected) == true, "\(ref): \(file.headers[.contentType] ?? "none")")
            }
            // No script or style from anywhere but this server.
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))

            let moved = try await client.execute(uri: "/app", method: .get)
            #expect(moved.status == .movedPermanently)
            #expect(moved.headers[.location] == "/app/")
        }
    }

    @Test func revalidationAnswersNotModified() async throws {
        try await Self.withRouter(try Self.project()) { client in
            let first = try await client.execute(uri: "/app/", method: .get)
            let tag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/app/", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            let other = try await client.execute(uri: "/app/", method: .get, headers: [.ifNoneMatch: "\"stale\""])
            #expect(other.status == .ok)
            let head = try await client.execute(uri: "/app/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(first.body.readableBytes))
        }
    }

    /// Paths that leave the folder, folders, hidden files and links are simply not there.
    @Test func nothingOutsideTheFolderAndNoListings() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        let web = root.appendingPathComponent("web")
        try FileManager.default.createDirectory(at: web.appendingPathComponent("js"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("<!DOCTYPE html>ok".utf8).write(to: web.appendingPathComponent("index.html"))
        try Data("export {}".utf8).write(to: web.appendingPathComponent("js/a.js"))
        try Data("hidden".utf8).write(to: web.appendingPathComponent(".env"))
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        try Data(secret.utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(at: web.appendingPathComponent("link.txt"),
                                                   withDestinationURL: root.appendingPathComponent("secret.txt"))
        try await Self.withRouter(web) { client in
            #expect(try await client.execute(uri: "/app/js/a.js", method: .get).status == .ok)
            for uri in ["/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/..%2fsecret.txt", "/app/js/../../secret.txt",
                        "/app//secret.txt", "/app/link.txt", "/app/.env", "/app/js/", "/app/js", "/app/%2fetc%2fpasswd",
                        "/app/index.html/", "/app/secret.txt"]
            {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri): \(response.status)")
                let body = String(buffer: response.body)
                #expect(!body.contains(secret) && !body.contains("hidden") && !body.contains("a.js"), "\(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
            }
            #expect(try await client.execute(uri: "/app/", method: .post).status == .methodNotAllowed)
            // Other paths still reach the router.
            #expect(String(buffer: try await client.execute(uri: "/v1/ping", method: .get).body) == "pong")
        }
    }

    /// The real server (`buildApplication`) serves the project's screens.
    @Test func theServerServesTheScreens() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let index = try await app.send(.get, "/app/")
            #expect(index.status == 200)
            #expect(index.text.contains("<!DOCTYPE html>"))
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            // The API is untouched: a /v1 route still needs a key.
            #expect(try await app.send(.get, "/v1/warehouses").status == 401)
        }
    }
}
