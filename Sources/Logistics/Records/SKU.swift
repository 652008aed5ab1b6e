import Persistence
import RuralPostCore
/// A stock-keeping unit of a merchant: unit weight, volume and handling category.
public struct SKU: MasterRecord, Equatable {
    public var code: String
    public var merchantId: Int64
    public var name: String
    public var grams: Int64
    public var cm3: Int64
    public var category: String
    public var coldChain: Bool?

    public static let table = "skus"
    public static let columns = ["code", "merchant_id", "name", "grams", "cm3", "category", "cold_chain"]
    public static let scopeColumns: [(kind: ScopeKind, column: String)] = [(.merchant, "merchant_id")]

    public func scopeValue(_ column: String) -> Int64? { column == "merchant_id" ? merchantId : nil }

    public func normalized() throws -> SKU {
        var s = self
        try Check.nonEmpty(code, "code")
        try Check.nonEmpty(name, "name")
        try Check.within(grams, 1...1_000_000, "grams")
        try Check.within(cm3, 1...1_000_000_000, "cm3")
        try Check.oneOf(category, ["general", "fresh", "frozen", "fragile"], "category")
        // Frozen goods are cold-chain by definition.
        s.coldChain = coldChain ?? (category == "frozen")
        if category == "frozen" && s.coldChain == false {
            throw DomainError.invalid(field: "coldChain", message: "frozen SKUs must be cold-chain")
        }
        return s
    }
}
