import Foundation
import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Reading JSON request bodies and writing JSON responses with the API's error rules:
/// wrong content type 415, body over the limit 413, malformed JSON 400, a field of
/// the wrong type or an unknown field 422 naming it.
enum JSONBody {
    /// The raw body, after checking the content type and size.
    static func bytes(_ request: Request, context: AppContext, limit: Int? = nil, contentType: String = "application/json") async throws -> Data {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == contentType else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "send Content-Type: \(contentType)")
        }
        let buffer = try await request.body.collect(upTo: limit ?? context.maxUploadSize)
        return Data(buffer.readableBytesView)
    }

    /// The body as a JSON object (for partial updates, which merge it field by field).
    static func object(_ request: Request, context: AppContext) async throws -> [String: Any] {
        try parseObject(try await bytes(request, context: context))
    }

    static func parseObject(_ data: Data) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw notAnObject
        }
        try NULCheck.check(object)
        return object
    }

    static let notAnObject = APIError(.badRequest, code: "bad_json", message: "the body is not a JSON object")

    /// The body decoded as `T`, refusing fields outside `allowedKeys` when given.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, context: AppContext, allowedKeys: Set<String>? = nil) async throws -> T {
        try decode(type, from: try await bytes(request, context: context), allowedKeys: allowedKeys)
    }

    /// The body decoded as `T`, refusing keys outside `shape` at any depth.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, context: AppContext, shape: JSONShape) async throws -> T {
        try decode(type, from: try await bytes(request, context: context), shape: shape)
    }

    /// `T` from `data`, refusing keys outside `shape` at any depth (`zones[1].typo`).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, shape: JSONShape) throws -> T {
        try decode(type, from: data, allowedKeys: nil, shape: shape)
    }

    /// The one request decoder: malformed JSON or a body that is not an object is 400; a
    /// NUL character anywhere, an unknown field (top level: `allowedKeys`; any depth:
    /// `shape`) or a wrongly typed one 422 naming it.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, allowedKeys: Set<String>? = nil, shape: JSONShape? = nil) throws -> T {
        let object = try parseObject(data)
        try shape?.check(object)
        do {
            var userInfo: [CodingUserInfoKey: any Sendable] = [:]
            if let allowedKeys { userInfo[RequestFields.allowedKey] = allowedKeys }
            return try RecordDecoding.decode(Checked<T>.self, from: data, userInfo: userInfo).value
        } catch let error as DomainError {
            if case .invalid(let field, _) = error, field == "body" {
                // The body is an object (parsed above): a failure without a path is a
                // number the field cannot hold, reported by name when it can be found.
                var userInfo: [CodingUserInfoKey: any Sendable] = [:]
                if let allowedKeys { userInfo[RequestFields.allowedKey] = allowedKeys }
                if let culprit = RecordDecoding.fieldOfNumberFault(Checked<T>.self, object: object, userInfo: userInfo) {
                    throw DomainError.invalid(field: culprit, message: "must be a whole number within range")
                }
                throw notAnObject
            }
            throw error
        }
    }

    /// `T`, after its top-level object is checked for unknown fields.
    struct Checked<T: Decodable>: Decodable {
        let value: T

        init(from decoder: any Decoder) throws {
            let allowed = decoder.userInfo[RequestFields.allowedKey] as? Set<String>
            if let allowed {
                try RequestFields.refuseUnknown(in: decoder, allowed: allowed)
            } else {
                _ = try decoder.container(keyedBy: RequestFields.AnyKey.self)  // an object, nothing more
            }
            value = try T(from: decoder)
        }
    }
}

/// JSON responses.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        raw(try encoder.encode(value), status: status, headers: extra)
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `limit` and `cursor` query parameters of list endpoints.
struct Paging {
    static let defaultLimit = 50
    static let maxLimit = 500
    let limit: Int
    let cursor: String?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...Paging.maxLimit).contains(value) else {
                throw DomainError.invalid(field: "limit", message: "must be an integer from 1 to \(Paging.maxLimit)")
            }
            limit = value
        } else {
            limit = Paging.defaultLimit
        }
        cursor = query["cursor"].map(String.init)
    }
}
