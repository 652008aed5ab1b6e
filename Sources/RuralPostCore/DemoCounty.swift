/// A seeded, realistic rural county for demos and load tests: a depot in the county
/// town, cloud warehouses, pickup points clustered along valley roads with opening
/// hours and slots, a mixed van fleet, farm-produce SKUs with stock, a day of orders
/// and some produce collections. The same seed always gives the same county.
public struct DemoCounty: Sendable {
    public struct Place: Sendable {
        public let code: String
        public let name: String
        public let location: GeoPoint
    }

    public struct Warehouse: Sendable {
        public let place: Place
        public let kind: String
        public let coldChain: Bool
        public let dailyCapacity: Int64
    }

    public struct Merchant: Sendable {
        public let code: String
        public let name: String
        public let dailyQuota: Int64?
    }

    public struct SKU: Sendable {
        public let code: String
        public let merchant: String
        public let name: String
        public let grams: Grams
        public let cm3: CubicCentimetres
        public let category: String
        public let coldChain: Bool
    }

    public struct Stock: Sendable {
        public let warehouse: String
        public let sku: String
        public let qty: Int64
    }

    public struct ServiceCentre: Sendable {
        public let code: String
        public let name: String
    }

    public struct PickupPoint: Sendable {
        public let place: Place
        public let kind: String
        public let serviceCentre: String
        /// Compact opening hours, e.g. `mon-sat 08:00-17:30`.
        public let openingHours: String
        public let slots: Int64
        public let holdDays: Int64
    }

    public struct Vehicle: Sendable {
        public let code: String
        public let kind: String
        public let capacityGrams: Grams
        public let capacityCm3: CubicCentimetres
        public let shiftStart: String
        public let shiftEnd: String
        public let fixedCostFen: Fen
        public let perKmFen: Fen
        public let refrigerated: Bool
    }

    public struct Order: Sendable {
        public let merchant: String
        public let channel: String
        public let recipientName: String
        public let recipientPhone: String
        /// Pickup point code for self-pickup; nil for home delivery.
        public let pickupPoint: String?
        public let address: String?
        public let location: GeoPoint
        public let lines: [(sku: String, qty: Int64)]
        public let priority: Int
    }

    public struct Collection: Sendable {
        public let pickupPoint: String
        public let merchant: String
        public let grams: Grams
        public let cm3: CubicCentimetres
        public let destination: String
    }

    public let name: String
    public let depot: Place
    public let warehouses: [Warehouse]
    /// The far warehouse whose parcels reach the depot on the line-haul truck during the
    /// plan day, not the evening before.
    public var lineHaulWarehouse: String { "WH-CITY" }
    /// When the line-haul truck from the prefecture reaches the county depot (local time).
    public static let lineHaulArrival = "10:30"
    public let merchants: [Merchant]
    public let skus: [SKU]
    public let stock: [Stock]
    public let serviceCentres: [ServiceCentre]
    public let pickupPoints: [PickupPoint]
    public let vehicles: [Vehicle]
    public let tariff: Tariff
    public let orders: [Order]
    public let collections: [Collection]
}

extension DemoCounty {
    static let townships = ["Qingshui", "Baihe", "Shiqiao", "Longtan", "Huangping", "Xiaoxi", "Maping", "Yuntai",
                            "Zhuxi", "Lianhua", "Gaoping", "Tongle", "Shuangfeng", "Heping", "Datian", "Wulong",
                            "Jinping", "Sanjiang", "Xinchang", "Taiping"]
    static let villageSuffixes = ["Upper", "Lower", "East", "West", "Middle", "New", "Old", "Bend", "Ford", "Ridge"]
    static let surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao"]
    static let givenNames = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Qiang", "Hua", "Jun", "Ping", "Xia", "Gang", "Li", "Hong"]

    /// Produce and goods sold in the county: (name, grams, cm3, category).
    static let catalogue: [(merchant: String, items: [(String, Grams, CubicCentimetres, String)])] = [
        ("TEA", [("Green tea 250 g", 300, 900, "general"), ("Dark tea brick 1 kg", 1100, 2000, "general"), ("Tea gift box", 1600, 6000, "fragile")]),
        ("ORANGE", [("Navel oranges 5 kg", 5300, 9000, "fresh"), ("Navel oranges 10 kg", 10500, 17000, "fresh"), ("Orange juice 6x1 L", 6600, 7500, "fragile")]),
        ("HONEY", [("Wild honey 500 g", 700, 700, "fragile"), ("Honey 2 kg jar", 2400, 2200, "fragile")]),
        ("PORK", [("Cured pork 1 kg", 1100, 1800, "general"), ("Frozen pork belly 2 kg", 2200, 2600, "frozen"), ("Smoked sausage 500 g", 550, 800, "general")]),
        ("RICE", [("Mountain rice 5 kg", 5100, 6500, "general"), ("Mountain rice 10 kg", 10200, 13000, "general"), ("Glutinous rice 2.5 kg", 2600, 3300, "general")]),
        ("MUSHROOM", [("Dried shiitake 500 g", 600, 3000, "general"), ("Fresh mushrooms 2 kg", 2200, 6000, "fresh"), ("Black fungus 250 g", 300, 1500, "general")]),
        ("SHOP", [("Cooking oil 5 L", 4700, 5500, "general"), ("Laundry powder 3 kg", 3100, 4500, "general"), ("Phone charger", 200, 400, "general"),
                  ("Children's shoes", 600, 4000, "general"), ("Fertiliser 10 kg", 10100, 12000, "general")]),
        ("DAIRY", [("Frozen dumplings 1 kg", 1100, 2000, "frozen"), ("Yoghurt 12 pack", 2400, 3000, "fresh")]),
    ]

    /// Generates a county. `orders` sets the size of the day's intake.
    public static func generate(seed: UInt64 = 1, orders orderCount: Int = 1200) -> DemoCounty {
        var rng = SeededRandom(seed: seed)
        let town = GeoPoint(lat: 28.62, lon: 109.95)
        func offset(_ p: GeoPoint, km: Double, bearing: Double) -> GeoPoint {
            let dLat = km * _cos(bearing) / 111.2
            let dLon = km * _sin(bearing) / (111.2 * _cos(p.lat * .pi / 180))
            return GeoPoint(lat: ((p.lat + dLat) * 1e5).rounded() / 1e5, lon: ((p.lon + dLon) * 1e5).rounded() / 1e5)
        }

        let depot = Place(code: "DEPOT-COUNTY", name: "County depot", location: offset(town, km: 2.5, bearing: 2.2))
        let warehouses = [
            Warehouse(place: Place(code: "WH-CITY", name: "Prefecture central warehouse", location: offset(town, km: 95, bearing: 0.6)),
                      kind: "central", coldChain: true, dailyCapacity: 20_000),
            Warehouse(place: Place(code: "WH-COUNTY", name: "County regional warehouse", location: offset(town, km: 4, bearing: 3.9)),
                      kind: "regional", coldChain: false, dailyCapacity: 6_000),
            Warehouse(place: Place(code: "WH-VALLEY", name: "Valley micro warehouse", location: offset(town, km: 21, bearing: 5.1)),
                      kind: "micro", coldChain: true, dailyCapacity: 1_500),
        ]

        var merchants: [Merchant] = []
        var skus: [SKU] = []
        for (merchant, items) in catalogue {
            merchants.append(Merchant(code: "M-\(merchant)", name: merchant.prefix(1) + merchant.dropFirst().lowercased() + " cooperative",
                                      dailyQuota: merchant == "SHOP" ? nil : 400))
            for (i, item) in items.enumerated() {
                skus.append(SKU(code: "\(merchant)-\(i + 1)", merchant: "M-\(merchant)", name: item.0, grams: item.1, cm3: item.2,
                                category: item.3, coldChain: item.3 == "frozen"))
            }
        }

        // Stock spread over warehouses; some SKUs scarce to make splitting matter.
        var stock: [Stock] = []
        for (i, sku) in skus.enumerated() {
            for w in warehouses where !sku.coldChain || w.coldChain {
                let base: Int64 = w.kind == "central" ? 1600 : w.kind == "regional" ? 700 : 200
                let scarce = i % 5 == 3
                let qty = Int64(Double(base) * rng.uniform(0.4, 1.2) * (scarce ? 0.15 : 1))
                if qty > 0 && rng.uniform(0, 1) < 0.85 { stock.append(Stock(warehouse: w.place.code, sku: sku.code, qty: qty)) }
            }
        }

        // Valleys radiate from the town; townships sit along each road, villages beside.
        var points: [PickupPoint] = []
        var centres: [ServiceCentre] = []
        var township = 0
        let valleys = 5
        for v in 0..<valleys {
            let bearing = Double(v) * 2 * .pi / Double(valleys) + rng.uniform(-0.3, 0.3)
            let centre = ServiceCentre(code: "SC-\(v + 1)", name: "\(townships[v * 4]) valley service centre")
            centres.append(centre)
            var along = rng.uniform(6, 10)
            for _ in 0..<3 {
                let name = townships[township % townships.count]
                township += 1
                let bend = bearing + rng.uniform(-0.25, 0.25)
                let hub = offset(town, km: along, bearing: bend)
                points.append(PickupPoint(
                    place: Place(code: "PP-\(name.uppercased())-PO", name: "\(name) post outlet", location: hub),
                    kind: "post_outlet", serviceCentre: centre.code, openingHours: "mon-sat 08:00-17:30; sun 09:00-12:00",
                    slots: Int64(rng.uniform(150, 300)), holdDays: 7))
                let villages = Int(rng.uniform(2, 4))
                for k in 0..<villages {
                    let spot = offset(hub, km: rng.uniform(1.5, 6), bearing: bend + (k % 2 == 0 ? 1.4 : -1.4) + rng.uniform(-0.4, 0.4))
                    let morning = ["07:30", "08:00", "08:30"][Int(rng.next() % 3)]
                    let evening = ["18:00", "19:00", "20:00"][Int(rng.next() % 3)]
                    points.append(PickupPoint(
                        place: Place(code: "PP-\(name.uppercased())-\(k + 1)", name: "\(name) \(villageSuffixes[k]) village station", location: spot),
                        kind: k == 2 ? "partner_shop" : "village_station", serviceCentre: centre.code,
                        openingHours: "mon-sun \(morning)-11:30,14:00-\(evening)",
                        slots: Int64(rng.uniform(40, 90)), holdDays: 5))
                }
                along += rng.uniform(7, 12)
            }
        }
        let townCentre = ServiceCentre(code: "SC-TOWN", name: "County town service centre")
        centres.append(townCentre)
        points.append(PickupPoint(place: Place(code: "PP-TOWN-LOCKER", name: "Town square locker", location: offset(town, km: 0.4, bearing: 1)),
                                  kind: "locker", serviceCentre: townCentre.code, openingHours: "mon-sun 00:00-23:59", slots: 120, holdDays: 3))
        points.append(PickupPoint(place: Place(code: "PP-TOWN-PO", name: "County town post office", location: town),
                                  kind: "post_outlet", serviceCentre: townCentre.code, openingHours: "mon-sun 08:00-18:00", slots: 400, holdDays: 7))

        var vehicles: [Vehicle] = []
        for i in 1...7 {
            vehicles.append(Vehicle(code: "VAN-\(i)", kind: "light van", capacityGrams: 900_000, capacityCm3: 5_500_000,
                                    shiftStart: "07:00", shiftEnd: "18:00", fixedCostFen: 18_000, perKmFen: 110, refrigerated: false))
        }
        for i in 1...5 {
            vehicles.append(Vehicle(code: "TRUCK-\(i)", kind: "small truck", capacityGrams: 2_000_000, capacityCm3: 12_000_000,
                                    shiftStart: "06:30", shiftEnd: "18:30", fixedCostFen: 26_000, perKmFen: 160, refrigerated: i <= 3))
        }

        let tariff = Tariff(handlingFen: 150, parcelMaxGrams: 20_000, heavyThresholdGrams: 20_000, zones: [
            Zone(maxKm: 30, firstKgFen: 600, additionalKgFen: 150),
            Zone(maxKm: 80, firstKgFen: 800, additionalKgFen: 250),
            Zone(maxKm: 300, firstKgFen: 1000, additionalKgFen: 400),
            Zone(maxKm: 1000, firstKgFen: 1200, additionalKgFen: 600),
        ])

        // A day's orders: mostly self-pickup at village points, some home deliveries.
        var orders: [Order] = []
        let deliverable = points.filter { $0.kind != "locker" }
        for n in 0..<orderCount {
            let point = deliverable[Int(rng.next() % UInt64(deliverable.count))]
            let merchant = catalogue[Int(rng.next() % UInt64(catalogue.count))].merchant
            let own = skus.filter { $0.merchant == "M-\(merchant)" }
            var lines: [(String, Int64)] = []
            let lineCount = 1 + Int(rng.next() % 4)
            for sku in own.shuffled(using: &rng).prefix(lineCount) {
                lines.append((sku.code, Int64(1 + rng.next() % (sku.grams > 5000 ? 2 : 3))))
            }
            let name = surnames[Int(rng.next() % UInt64(surnames.count))] + " " + givenNames[Int(rng.next() % UInt64(givenNames.count))]
            let phone = "13\(rng.next() % 10)\(10_000_000 + rng.next() % 89_999_999)"
            let home = rng.uniform(0, 1) < 0.08
            let location = home ? offset(point.place.location, km: rng.uniform(0.3, 2.5), bearing: rng.uniform(0, 2 * .pi)) : point.place.location
            orders.append(Order(
                merchant: "M-\(merchant)", channel: ["online", "online", "online", "phone", "counter"][n % 5],
                recipientName: name, recipientPhone: phone, pickupPoint: home ? nil : point.place.code,
                address: home ? "No. \(1 + rng.next() % 80), near \(point.place.name)" : nil, location: location,
                lines: lines, priority: n % 17 == 0 ? 1 : 0))
        }

        var collections: [Collection] = []
        for (i, point) in points.enumerated() where point.kind == "village_station" && i % 3 == 0 {
            let produce = ["M-ORANGE", "M-TEA", "M-MUSHROOM", "M-HONEY", "M-RICE"][i % 5]
            let kg = rng.uniform(20, 180)
            collections.append(Collection(pickupPoint: point.place.code, merchant: produce, grams: Grams(kg * 1000),
                                          cm3: CubicCentimetres(kg * 1800), destination: "WH-COUNTY"))
        }

        return DemoCounty(name: "Qingshan County (demo, seed \(seed))", depot: depot, warehouses: warehouses, merchants: merchants,
                          skus: skus, stock: stock, serviceCentres: centres, pickupPoints: points, vehicles: vehicles,
                          tariff: tariff, orders: orders, collections: collections)
    }

    private typealias Zone = Tariff.Zone
}
