import RuralPostCore

/// A stock-keeping unit as the splitter sees it: one indivisible unit weighs `grams`.
public struct SplitSKU: Hashable, Sendable, Codable {
    /// SKU id, unique in the catalogue.
    public var id: String
    /// Weight of one unit, grams (> 0, at most the tariff's `parcelMaxGrams`).
    public var grams: Grams
    /// Cold-chain SKUs ship only from cold-chain warehouses.
    public var coldChain: Bool

    public init(id: String, grams: Grams, coldChain: Bool = false) {
        self.id = id
        self.grams = grams
        self.coldChain = coldChain
    }

    enum CodingKeys: String, CodingKey { case id, grams, coldChain }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        grams = try c.decode(Grams.self, forKey: .grams)
        coldChain = try c.decodeIfPresent(Bool.self, forKey: .coldChain) ?? false
    }
}

/// A cloud warehouse with its stock (units per SKU id).
///
/// JSON: `{"id", "lat", "lon", "coldChain", "stock": {"SKU": units}}` (location flattened).
public struct SplitWarehouse: Hashable, Sendable, Codable {
    /// Warehouse id, unique in a call.
    public var id: String
    public var location: GeoPoint
    /// Whether it can ship cold-chain SKUs.
    public var coldChain: Bool
    /// Units available per SKU id (>= 0; ids unknown to the engine are ignored).
    public var stock: [String: Int64]

    public init(id: String, location: GeoPoint, coldChain: Bool = false, stock: [String: Int64]) {
        self.id = id
        self.location = location
        self.coldChain = coldChain
        self.stock = stock
    }

    enum CodingKeys: String, CodingKey { case id, lat, lon, coldChain, stock }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        location = GeoPoint(lat: try c.decode(Double.self, forKey: .lat), lon: try c.decode(Double.self, forKey: .lon))
        coldChain = try c.decodeIfPresent(Bool.self, forKey: .coldChain) ?? false
        stock = try c.decodeIfPresent([String: Int64].self, forKey: .stock) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(location.lat, forKey: .lat)
        try c.encode(location.lon, forKey: .lon)
        try c.encode(coldChain, forKey: .coldChain)
        try c.encode(stock, forKey: .stock)
    }
}

/// One order line: `qty` units of SKU `sku`.
public struct SplitLine: Hashable, Sendable, Codable {
    public var sku: String
    public var qty: Int64

    public init(sku: String, qty: Int64) {
        self.sku = sku
        self.qty = qty
    }
}

/// An order to split. `priority` orders batch waves: higher priorities (key accounts
/// within quota) are served from stock before lower ones. Sequential mode ignores it.
///
/// JSON: `{"id", "lat", "lon", "lines": [{"sku", "qty"}], "priority"?}`.
public struct SplitOrder: Hashable, Sendable, Codable {
    public var id: String
    public var destination: GeoPoint
    public var lines: [SplitLine]
    public var priority: Int

    public init(id: String, destination: GeoPoint, lines: [SplitLine], priority: Int = 0) {
        self.id = id
        self.destination = destination
        self.lines = lines
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey { case id, lat, lon, lines, priority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        destination = GeoPoint(lat: try c.decode(Double.self, forKey: .lat), lon: try c.decode(Double.self, forKey: .lon))
        lines = try c.decode([SplitLine].self, forKey: .lines)
        priority = try c.decodeIfPresent(Int.self, forKey: .priority) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(destination.lat, forKey: .lat)
        try c.encode(destination.lon, forKey: .lon)
        try c.encode(lines, forKey: .lines)
        try c.encode(priority, forKey: .priority)
    }
}

/// Operator policy for splitting.
public struct SplitPolicy: Hashable, Sendable, Codable {
    /// At most this many warehouses ship parts of one order (>= 1).
    public var maxWarehouses: Int
    /// Whether an order may ship with some units unfilled (backordered).
    public var allowPartial: Bool
    /// Cost charged per unfilled unit (>= 0). Normally large, so filling comes first.
    public var backorderFen: Fen

    public init(maxWarehouses: Int, allowPartial: Bool, backorderFen: Fen) {
        self.maxWarehouses = maxWarehouses
        self.allowPartial = allowPartial
        self.backorderFen = backorderFen
    }
}
