import Persistence
import RuralPostCore
/// A small e-commerce merchant whose stock the operator keeps and ships.
public struct Merchant: MasterRecord, Equatable {
    public var code: String
    public var name: String
    /// Orders per day within the peak-season quota; nil means unlimited.
    public var dailyQuota: Int64?
    /// `accept_unpromised` (default) or `refuse` beyond the quota.
    public var overQuotaPolicy: String?
    public var webhookUrl: String?
    public var webhookSecret: String?

    public static let table = "merchants"
    public static let columns = ["code", "name", "daily_quota", "over_quota_policy", "webhook_url", "webhook_secret"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.merchant, "id")]

    /// Webhook secrets are write-only.
    public func redacted() -> Merchant {
        var copy = self
        copy.webhookSecret = webhookSecret == nil ? nil : "***"
        return copy
    }

    public func normalized() throws -> Merchant {
        var m = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        if let q = dailyQuota { try Check.positive(q, "dailyQuota") }
        m.overQuotaPolicy = overQuotaPolicy ?? "accept_unpromised"
        try Check.oneOf(m.overQuotaPolicy!, ["accept_unpromised", "refuse"], "overQuotaPolicy")
        try Check.webhookURL(webhookUrl, "webhookUrl")
        return m
    }
}
