import Foundation
import Hummingbird
import Logistics
import Persistence
import RuralPostCore

/// Bulk intake: one order per NDJSON line, `{"idempotencyKey": "...", "order": {...}}`.
/// Every line gets its own result; a bad line never stops the others, and each order
/// is idempotent under its own key, so a whole batch can be retried safely.
struct OrderBatch {
    let service: OrderService
    /// Orders submitted at once: half the database pool keeps a batch moving while the
    /// other half still serves single orders and reads.
    let concurrency: Int

    struct Item: Decodable {
        let idempotencyKey: String
        let order: OrderRequest
    }

    struct Result: Encodable, Sendable {
        let line: Int
        let status: Int
        let replayed: Bool
        let order: OrderView?
        let error: APIError.Body.Detail?
    }

    struct Results: Encodable {
        let created: Int
        let replayed: Int
        let failed: Int
        let results: [Result]
    }

    func run(ndjson: Data, caller: Caller, maxItems: Int) async throws -> Results {
        var lines: [(Int, Data)] = []
        var lineNo = 0
        for slice in ndjson.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if slice.allSatisfy({ [UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }) { continue }
            lines.append((lineNo, Data(slice)))
        }
        guard !lines.isEmpty else { throw APIError(.unprocessableContent, code: "invalid", message: "no orders in the body", field: "body") }
        guard lines.count <= maxItems else {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "at most \(maxItems) orders per batch")
        }
        let work = lines
        var results = [Result?](repeating: nil, count: work.count)
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            for _ in 0..<min(concurrency, work.count) {
                let index = next
                group.addTask { (index, await self.one(line: work[index].0, data: work[index].1, caller: caller)) }
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < work.count {
                    let index = next
                    group.addTask { (index, await self.one(line: work[index].0, data: work[index].1, caller: caller)) }
                    next += 1
                }
            }
        }
        let all = results.compactMap { $0 }
        return Results(created: all.filter { $0.status == 201 && !$0.replayed }.count, replayed: all.filter(\.replayed).count,
                       failed: all.filter { $0.status >= 300 }.count, results: all)
    }

    func one(line: Int, data: Data, caller: Caller) async -> Result {
        do {
            let item = try JSONBody.decode(Item.self, from: data, shape: .object(["idempotencyKey": .any, "order": .order]))
            let response = try await service.submit(item.order, idempotencyKey: item.idempotencyKey, caller: caller)
            let view = try JSONDecoder().decode(OrderView.self, from: response.body)
            return Result(line: line, status: Int(HTTPResponse.Status.created.code), replayed: response.replayed, order: view, error: nil)
        } catch {
            let api = APIError(mapping: error)
            return Result(line: line, status: Int(api.status.code), replayed: false, order: nil,
                          error: .init(code: api.code, message: api.message, field: api.field))
        }
    }
}
