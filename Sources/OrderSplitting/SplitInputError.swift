/// Bad input to the splitter: `field` is a JSON-style path to the offending value
/// (e.g. `orders[3].lines[1].qty`, `skus[2].grams`), `message` says what is wrong.
public struct SplitInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// JSON path of the offending value.
    public var field: String
    /// What is wrong with it.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
