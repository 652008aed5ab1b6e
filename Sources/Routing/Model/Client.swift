/// A client to visit once: deliver and/or collect goods, possibly optional.
public struct Client: Sendable, Hashable {
    /// Index into the problem's location list (rows/columns of the matrices).
    public var location: Int
    /// Amounts brought to the client, one entry per load dimension (e.g. kg, m3, parcels).
    public var delivery: [Int64]
    /// Amounts collected at the same visit (simultaneous delivery and pickup).
    public var pickup: [Int64]
    /// Time spent at the client.
    public var serviceDuration: Int64
    /// Allowed windows for the start of service; empty means always open. Sorted, disjoint.
    public var timeWindows: [Window]
    /// Required clients must be served; optional ones may be skipped at the cost of `prize`.
    public var required: Bool
    /// Lost (added to the objective) when an optional client is not served.
    public var prize: Int64
    /// Skills a vehicle must have to serve this client (e.g. "refrigerated").
    public var skills: Set<String>
    /// Free-form label carried through to the solution (e.g. a shipment id).
    public var name: String
    /// Earliest moment the client's goods are at the depot (e.g. a line-haul arrival): the
    /// trip that serves the client cannot leave its depot earlier. 0 = available at once.
    public var releaseTime: Int64

    /// Creates a client; `pickup` defaults to zero in every dimension of `delivery`.
    public init(
        location: Int, delivery: [Int64] = [], pickup: [Int64] = [], serviceDuration: Int64 = 0,
        timeWindows: [Window] = [], required: Bool = true, prize: Int64 = 0,
        skills: Set<String> = [], name: String = "", releaseTime: Int64 = 0
    ) {
        self.releaseTime = releaseTime
        self.location = location
        self.delivery = delivery
        self.pickup = pickup
        self.serviceDuration = serviceDuration
        self.timeWindows = timeWindows
        self.required = required
        self.prize = prize
        self.skills = skills
        self.name = name
    }
}
