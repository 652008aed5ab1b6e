import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence

/// The browser screens (counter and plan review) under `/app/`: every regular file of
/// `Sources/API/Public/app/` in the project home, read once when the server starts and
/// served from memory.
///
/// Serving only what was found at start makes path tricks harmless: a request names a key
/// of a dictionary, never a path on disk, so `..`, encoded slashes, symlinks and folders
/// simply are not there (404, no listing). The files are a few dozen kilobytes.
public struct StaticFiles: Sendable {
    /// One servable file.
    struct File: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        /// Strong validator: a digest of the content, so a redeploy with changed files
        /// is seen by every browser at its next revalidation.
        let eTag: String
    }

    /// URL path (`/app/js/api.js`) to file.
    let files: [String: File]

    /// No files: `/app/` answers 404 explaining that the screens are not installed.
    public static let none = StaticFiles(files: [:])

    init(files: [String: File]) {
        self.files = files
    }

    /// The files of `folder`, served under `urlPrefix` (`/app`).
    public static func load(folder: URL, urlPrefix: String = "/app") throws -> StaticFiles {
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return .none }
        var files: [String: File] = [:]
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: Set(keys))
            // Links could point outside the folder; the screens need none.
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let relative = url.standardizedFileURL.path.dropFirst(root.path.count)
            guard relative.hasPrefix("/") else { continue }
            let data = try Data(contentsOf: url)
            files[urlPrefix + relative] = File(bytes: ByteBuffer(bytes: data), contentType: contentType(of: url.pathExtension),
                                               eTag: "\"\(contentTag(data))\"")
        }
        return StaticFiles(files: files)
    }

    /// The project's screens, or no files (with a warning) when the folder is missing,
    /// so that the API still runs from a bare binary.
    public static func fromProject(logger: Logger) -> StaticFiles {
        do {
            let loaded = try load(folder: try ProjectFiles.directory(folder))
            logger.debug("browser screens loaded", metadata: ["files": "\(loaded.files.count)"])
            return loaded
        } catch {
            logger.warning("browser screens not served: \(folder)/ not found (set RURALPOST_HOME)", metadata: ["error": "\(error)"])
            return .none
        }
    }

    /// Where the screens live, relative to the project home (`RURALPOST_HOME`).
    public static let folder = "Sources/API/Public/app"

    /// FNV-1a (64 bit) of the content and its length: a validator, not a secret, so a
    /// fast non-cryptographic digest does (a changed file gets a new tag).
    static func contentTag(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16) + "-" + String(data.count, radix: 16)
    }

    static func contentType(of pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "webmanifest": return "application/manifest+json; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "txt", "md": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}

/// Serves ``StaticFiles`` under `/app/` ahead of the API routes: `GET`/`HEAD` only,
/// `/app` and `/app/` give `index.html`, `If-None-Match` gives 304. Everything else
/// under `/app/` is the API's JSON 404 (or 405 for other methods); other paths go on
/// to the router untouched.
struct StaticFilesMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let files: StaticFiles
    let prefix = "/app"

    /// The screens talk only to this server; framing is allowed only for the plan map
    /// the page itself builds (`srcdoc`, same origin).
    static let contentSecurityPolicy = [
        "default-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:",
        // The plan map (an iframe srcdoc, which inherits this policy) has an inline <style>.
        "style-src 'self' 'unsafe-inline'", "frame-src 'self' blob:", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'self'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == prefix || path.hasPrefix(prefix + "/") else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else {
            throw APIError(.methodNotAllowed, code: "method_not_allowed", message: "the screens under /app/ are read-only (GET)")
        }
        // `/app` would resolve the page's relative links against `/`.
        if path == prefix { return Response(status: .movedPermanently, headers: [.location: prefix + "/"]) }
        let key = path.hasSuffix("/") ? path + "index.html" : path
        guard let file = files.files[key] else {
            let message = files.files.isEmpty ? "the browser screens are not installed on this server"
                                              : "no file \(path)"
            throw APIError(.notFound, code: "not_found", message: message)
        }
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .eTag: file.eTag,
            // Revalidate every time (a 304 is a few bytes): file names carry no version,
            // and a station must never run yesterday's script against today's API.
            .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if file.contentType.hasPrefix("text/html") {
            headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
        }
        let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains(file.eTag) || tags.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(file.bytes.readableBytes)
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: file.bytes))
    }
}
