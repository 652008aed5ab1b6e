/// A place where vehicles start or end their routes.
public struct Depot: Sendable, Hashable {
    /// Index into the problem's location list.
    public var location: Int
    /// Free-form label.
    public var name: String

    /// Creates a depot at `location`.
    public init(location: Int, name: String = "") {
        self.location = location
        self.name = name
    }
}
