import Foundation
import Persistence
import RuralPostCore

/// The last quota outcome seen per merchant, warehouses and ship day. Intake must write
/// its response before the write counts the order, so it promises what the last order
/// of the same kind got; `rp_place_order` checks the promise against the counters and a
/// wrong guess costs one more attempt. A hint is never trusted for anything else.
final class QuotaHints: @unchecked Sendable {
    struct Key: Hashable {
        let merchantId: Int64
        let warehouses: [String]
        let day: String
    }

    /// Bounds memory: the table starts afresh beyond this many keys (old days age out).
    static let capacity = 10_000
    private let lock = NSLock()
    private var outcomes: [Key: Bool] = [:]

    /// Whether the last order like this one was over quota (false when none was seen).
    func overQuota(_ key: Key) -> Bool {
        lock.withLock { outcomes[key] ?? false }
    }

    func record(_ key: Key, overQuota: Bool) {
        lock.withLock {
            if outcomes.count >= Self.capacity, outcomes[key] == nil { outcomes.removeAll(keepingCapacity: true) }
            outcomes[key] = overQuota
        }
    }
}
