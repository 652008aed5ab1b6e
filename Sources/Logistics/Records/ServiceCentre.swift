import Persistence
import RuralPostCore
/// A rural e-commerce service centre that runs pickup points.
public struct ServiceCentre: MasterRecord, Equatable {
    public var code: String
    public var name: String
    public var phone: String?
    public var webhookUrl: String?
    public var webhookSecret: String?

    public static let table = "service_centres"
    public static let columns = ["code", "name", "phone", "webhook_url", "webhook_secret"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.serviceCentre, "id")]

    /// Webhook secrets are write-only.
    public func redacted() -> ServiceCentre {
        var copy = self
        copy.webhookSecret = webhookSecret == nil ? nil : "***"
        return copy
    }

    public func normalized() throws -> ServiceCentre {
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.webhookURL(webhookUrl, "webhookUrl")
        return self
    }
}
