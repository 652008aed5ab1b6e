import Foundation
import RuralPostCore

/// Which keys a JSON request body may have, nested: an unknown key anywhere is 422 naming
/// its path (`zones[1].maxKm`, `delivery.adress`), so a typo is never silently ignored.
/// The types of the values are left to the decoder.
indirect enum JSONShape: Sendable {
    /// An object with exactly these optional keys, each of this shape.
    case object([String: JSONShape])
    /// An array whose items have this shape.
    case array(JSONShape)
    /// Anything (checked by the decoder or the record's own validation).
    case any

    /// An object whose keys all have any shape.
    static func keys(_ names: Set<String>) -> JSONShape {
        .object(Dictionary(uniqueKeysWithValues: names.map { ($0, .any) }))
    }

    /// Throws `invalid` naming the first unknown key, in key order, depth first.
    func check(_ value: Any, path: String = "") throws {
        switch self {
        case .any:
            return
        case .array(let item):
            guard let items = value as? [Any] else { return }
            for (index, element) in items.enumerated() { try item.check(element, path: "\(path)[\(index)]") }
        case .object(let fields):
            guard let object = value as? [String: Any] else { return }
            for key in object.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let shape = fields[key] else { throw DomainError.invalid(field: field, message: "unknown field") }
                try shape.check(object[key]!, path: field)
            }
        }
    }
}

/// PostgreSQL text cannot hold U+0000: a NUL anywhere in a body (a value or a key) is
/// refused as 422 naming where it is, before it reaches the database.
enum NULCheck {
    static func check(_ value: Any, path: String = "") throws {
        switch value {
        case let text as String:
            if text.unicodeScalars.contains("\u{0}") {
                throw DomainError.invalid(field: path.isEmpty ? "body" : path, message: "must not contain a NUL character")
            }
        case let items as [Any]:
            for (index, element) in items.enumerated() { try check(element, path: "\(path)[\(index)]") }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                try check(key, path: field)
                try check(object[key]!, path: field)
            }
        default:
            return
        }
    }
}

extension JSONShape {
    /// An order (`POST /v1/orders`, quotes, each bulk line's `order`).
    static let order: JSONShape = .object([
        "merchant": .any, "externalRef": .any, "channel": .any, "priority": .any, "allowPartial": .any,
        "recipient": .keys(["name", "phone"]),
        "delivery": .keys(["mode", "pickupPoint", "address", "lat", "lon"]),
        "lines": .array(.keys(["sku", "qty"])),
    ])

    /// A tariff, or any part of one in a PATCH.
    static let tariff: JSONShape = .object([
        "code": .any, "name": .any, "handlingFen": .any, "parcelMaxGrams": .any, "heavyThresholdGrams": .any, "heavySurchargeFen": .any,
        "isDefault": .any,
        "zones": .array(.keys(["maxKm", "firstKgFen", "additionalKgFen"])),
    ])
}
