import Persistence
import RuralPostCore
/// What a CSV file holds, with its columns, validation and the SQL that applies it.
///
/// Validation SQL selects `(line_no, problem)` from the `staging` table, `problem` NULL
/// for a good row. Apply statements run only when no row has a problem. Master data
/// rows are upserts by `code`; stock rows are receipts added to on-hand stock, each
/// with a ledger row.
public enum ImportKind: String, CaseIterable, Sendable {
    case skus
    case stock
    case pickupPoints = "pickup-points"
    case vehicles

    struct Column {
        let name: String
        let required: Bool
    }

    struct Spec: Sendable {
        let columns: [Column]
        let validation: String
        let apply: [String]
        /// Per-row conversion in Swift before staging (e.g. opening hours to JSON).
        var transform: @Sendable ([String?]) throws -> [String?] = { $0 }
    }

    static let integer = "'^-?[0-9]{1,15}$'"
    static let decimal = "'^-?[0-9]{1,3}(\\.[0-9]+)?$'"
    static let boolean = "('true','false','1','0','yes','no','t','f','y','n')"
    static let clock = "'^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$'"

    static func required(_ columns: String...) -> String {
        columns.map { "WHEN s.\($0) IS NULL THEN '\($0) is required'" }.joined(separator: " ")
    }

    static func integers(_ columns: String..., positive: Bool = true) -> String {
        columns.map { c in
            "WHEN s.\(c) !~ \(integer) THEN '\(c) must be an integer' "
                + (positive ? "WHEN s.\(c)::bigint <= 0 THEN '\(c) must be > 0'" : "WHEN s.\(c)::bigint < 0 THEN '\(c) must be >= 0'")
        }.joined(separator: " ")
    }

    static let duplicateCode = "WHEN count(*) OVER (PARTITION BY s.code) > 1 THEN 'code ' || s.code || ' appears more than once in the file'"

    static func bool(_ column: String) -> String {
        "coalesce(lower(\(column)) IN ('true','1','yes','t','y'), false)"
    }

    var spec: Spec {
        switch self {
        case .stock:
            return Spec(
                columns: [.init(name: "warehouse", required: true), .init(name: "sku", required: true),
                          .init(name: "qty", required: true), .init(name: "reason", required: false)],
                validation: """
                    SELECT s.line_no, CASE \(Self.required("warehouse", "sku", "qty"))
                        WHEN w.id IS NULL THEN 'unknown warehouse ' || s.warehouse
                        WHEN k.id IS NULL THEN 'unknown SKU ' || s.sku
                        \(Self.integers("qty")) END AS problem
                    FROM staging s LEFT JOIN warehouses w ON w.code = s.warehouse LEFT JOIN skus k ON k.code = s.sku
                    """,
                apply: [
                    """
                    INSERT INTO inventory AS i (warehouse_id, sku_id, on_hand)
                    SELECT w.id, k.id, sum(s.qty::bigint) FROM staging s
                    JOIN warehouses w ON w.code = s.warehouse JOIN skus k ON k.code = s.sku GROUP BY w.id, k.id
                    ON CONFLICT (warehouse_id, sku_id) DO UPDATE SET on_hand = i.on_hand + EXCLUDED.on_hand, updated_at = now()
                    """,
                    """
                    INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason)
                    SELECT w.id, k.id, 'import', s.qty::bigint, 0, coalesce(s.reason, 'CSV import, line ' || s.line_no)
                    FROM staging s JOIN warehouses w ON w.code = s.warehouse JOIN skus k ON k.code = s.sku ORDER BY s.line_no
                    """,
                ])
        case .skus:
            return Spec(
                columns: ["code", "merchant", "name", "grams", "cm3", "category"].map { .init(name: $0, required: true) }
                    + [.init(name: "cold_chain", required: false)],
                validation: """
                    SELECT s.line_no, CASE \(Self.required("code", "merchant", "name", "grams", "cm3", "category"))
                        \(Self.duplicateCode)
                        WHEN m.id IS NULL THEN 'unknown merchant ' || s.merchant
                        \(Self.integers("grams", "cm3"))
                        WHEN s.category NOT IN ('general','fresh','frozen','fragile') THEN 'category must be general, fresh, frozen or fragile'
                        WHEN s.cold_chain IS NOT NULL AND lower(s.cold_chain) NOT IN \(Self.boolean) THEN 'cold_chain must be true or false'
                        WHEN s.category = 'frozen' AND s.cold_chain IS NOT NULL AND NOT \(Self.bool("s.cold_chain")) THEN 'frozen SKUs must be cold-chain'
                        END AS problem
                    FROM staging s LEFT JOIN merchants m ON m.code = s.merchant
                    """,
                apply: ["""
                    INSERT INTO skus (code, merchant_id, name, grams, cm3, category, cold_chain)
                    SELECT s.code, m.id, s.name, s.grams::bigint, s.cm3::bigint, s.category,
                           \(Self.bool("s.cold_chain")) OR s.category = 'frozen'
                    FROM staging s JOIN merchants m ON m.code = s.merchant
                    ON CONFLICT (code) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, name = EXCLUDED.name,
                        grams = EXCLUDED.grams, cm3 = EXCLUDED.cm3, category = EXCLUDED.category,
                        cold_chain = EXCLUDED.cold_chain, updated_at = now()
                    """])
        case .vehicles:
            return Spec(
                columns: ["code", "depot", "kind", "capacity_grams", "capacity_cm3", "shift_start", "shift_end"].map { .init(name: $0, required: true) }
                    + ["fixed_cost_fen", "per_km_fen", "refrigerated", "max_trips"].map { .init(name: $0, required: false) },
                validation: """
                    SELECT s.line_no, CASE \(Self.required("code", "depot", "kind", "capacity_grams", "capacity_cm3", "shift_start", "shift_end"))
                        \(Self.duplicateCode)
                        WHEN d.id IS NULL THEN 'unknown depot ' || s.depot
                        \(Self.integers("capacity_grams", "capacity_cm3"))
                        \(Self.integers("fixed_cost_fen", "per_km_fen", positive: false))
                        WHEN s.shift_start !~ \(Self.clock) THEN 'shift_start must be HH:MM'
                        WHEN s.shift_end !~ \(Self.clock) THEN 'shift_end must be HH:MM'
                        WHEN s.shift_end::time <= s.shift_start::time THEN 'shift_end must be after shift_start'
                        WHEN s.refrigerated IS NOT NULL AND lower(s.refrigerated) NOT IN \(Self.boolean) THEN 'refrigerated must be true or false'
                        WHEN s.max_trips IS NOT NULL AND (s.max_trips !~ '^[0-9]{1,2}$' OR s.max_trips::integer NOT BETWEEN 1 AND 10)
                            THEN 'max_trips must be an integer from 1 to 10'
                        END AS problem
                    FROM staging s LEFT JOIN depots d ON d.code = s.depot
                    """,
                apply: ["""
                    INSERT INTO vehicles (code, depot_id, kind, capacity_grams, capacity_cm3, shift_start, shift_end,
                                          fixed_cost_fen, per_km_fen, refrigerated, max_trips)
                    SELECT s.code, d.id, s.kind, s.capacity_grams::bigint, s.capacity_cm3::bigint, s.shift_start::time,
                           s.shift_end::time, coalesce(s.fixed_cost_fen::bigint, 0), coalesce(s.per_km_fen::bigint, 0),
                           \(Self.bool("s.refrigerated")), coalesce(s.max_trips::integer, \(Vehicle.defaultMaxTrips))
                    FROM staging s JOIN depots d ON d.code = s.depot
                    ON CONFLICT (code) DO UPDATE SET depot_id = EXCLUDED.depot_id, kind = EXCLUDED.kind,
                        capacity_grams = EXCLUDED.capacity_grams, capacity_cm3 = EXCLUDED.capacity_cm3,
                        shift_start = EXCLUDED.shift_start, shift_end = EXCLUDED.shift_end,
                        fixed_cost_fen = EXCLUDED.fixed_cost_fen, per_km_fen = EXCLUDED.per_km_fen,
                        refrigerated = EXCLUDED.refrigerated, max_trips = EXCLUDED.max_trips, updated_at = now()
                    """])
        case .pickupPoints:
            let columns = ["code", "name", "kind", "lat", "lon", "service_centre", "slot_capacity", "hold_days", "opening_hours"]
                .map { Column(name: $0, required: true) }
                + ["depot", "extension_days"].map { Column(name: $0, required: false) }
            let hoursIndex = columns.firstIndex { $0.name == "opening_hours" }!
            return Spec(
                columns: columns,
                validation: """
                    SELECT s.line_no, CASE \(Self.required("code", "name", "kind", "lat", "lon", "service_centre", "slot_capacity", "hold_days", "opening_hours"))
                        \(Self.duplicateCode)
                        WHEN s.kind NOT IN ('post_outlet','village_station','partner_shop','locker') THEN 'kind must be post_outlet, village_station, partner_shop or locker'
                        WHEN s.lat !~ \(Self.decimal) OR abs(s.lat::double precision) > 90 THEN 'lat must be between -90 and 90'
                        WHEN s.lon !~ \(Self.decimal) OR abs(s.lon::double precision) > 180 THEN 'lon must be between -180 and 180'
                        WHEN c.id IS NULL THEN 'unknown service centre ' || s.service_centre
                        WHEN s.depot IS NOT NULL AND d.id IS NULL THEN 'unknown depot ' || s.depot
                        \(Self.integers("slot_capacity"))
                        \(Self.integers("hold_days", "extension_days", positive: false))
                        WHEN s.hold_days::bigint NOT BETWEEN 1 AND 30 THEN 'hold_days must be between 1 and 30'
                        WHEN s.extension_days::bigint > 30 THEN 'extension_days must be at most 30'
                        END AS problem
                    FROM staging s LEFT JOIN service_centres c ON c.code = s.service_centre LEFT JOIN depots d ON d.code = s.depot
                    """,
                apply: ["""
                    INSERT INTO pickup_points (code, name, kind, lat, lon, service_centre_id, depot_id, opening_hours,
                                               slot_capacity, hold_days, extension_days)
                    SELECT s.code, s.name, s.kind, s.lat::double precision, s.lon::double precision, c.id, d.id,
                           s.opening_hours::jsonb, s.slot_capacity::integer, s.hold_days::integer,
                           coalesce(s.extension_days::integer, 3)
                    FROM staging s JOIN service_centres c ON c.code = s.service_centre LEFT JOIN depots d ON d.code = s.depot
                    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lat = EXCLUDED.lat,
                        lon = EXCLUDED.lon, service_centre_id = EXCLUDED.service_centre_id, depot_id = EXCLUDED.depot_id,
                        opening_hours = EXCLUDED.opening_hours, slot_capacity = EXCLUDED.slot_capacity,
                        hold_days = EXCLUDED.hold_days, extension_days = EXCLUDED.extension_days, updated_at = now()
                    """],
                transform: { values in
                    var values = values
                    if let text = values[hoursIndex] {
                        values[hoursIndex] = try OpeningHours.parse(text).jsonText()
                    }
                    return values
                })
        }
    }
}
