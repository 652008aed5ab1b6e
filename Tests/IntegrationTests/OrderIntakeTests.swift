import Foundation
import Hummingbird
import Logistics
import Persistence
import RuralPostCore
import Testing

@Suite struct OrderIntakeTests {
    @Test func orderIsSplitReservedAndLedgered() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 3), ("WH-B", "APPLE", 10), ("WH-A", "TEA", 5)])
            let reply = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 4), ("TEA", 2)]),
                                           headers: [.init("Idempotency-Key")!: "k1"])
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply.json["status"] as? String == "accepted")
            let shipments = reply.json["shipments"] as? [[String: Any]] ?? []
            #expect(!shipments.isEmpty)
            let shipped = shipments.flatMap { ($0["parcels"] as? [[String: Any]] ?? []) }
                .flatMap { ($0["items"] as? [String: Int] ?? [:]).map { ($0.key, $0.value) } }
                .reduce(into: [String: Int]()) { $0[$1.0, default: 0] += $1.1 }
            #expect(shipped == ["APPLE": 4, "TEA": 2])
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 4)
            let check = try await InventoryCheck(database: app.database).run()
            #expect(check.problems.isEmpty, "\(check.problems)")
        }
    }

    /// The order view shows the order as stored: a partial fill over two warehouses,
    /// parcels priced by the fixture's tariff worked out by hand, and after a cancel the
    /// current statuses (the intake response is the same view at placing time).
    @Test func theOrderViewShowsTheStoredOrder() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 3), ("WH-B", "APPLE", 5)])
            let reply = try await app.send(.post, "/v1/orders", key: app.admin,
                                           json: OrderFixture.order([("APPLE", 12)]), headers: [.init("Idempotency-Key")!: "view"])
            #expect(reply.status == 201, "\(reply.text)")
            let read = try await app.send(.get, "/v1/orders/\(reply.id)", key: app.admin)
            #expect(read.body == reply.body)
            let view = read.json
            #expect(view["merchant"] as? String == "M1")
            #expect(view["status"] as? String == "partially_filled")
            #expect(view["deliveryMode"] as? String == "pickup")
            #expect(view["pickupPoint"] as? String == "PP1")
            #expect(view["quotaStatus"] as? String == "within_quota")
            #expect(view["unfilled"] as? [String: Int] == ["APPLE": 4])
            #expect((view["lines"] as? [[String: Any]])?.map { "\($0["sku"]!) x\($0["qty"]!)" } == ["APPLE x12"])
            let created = view["createdAt"] as? String ?? ""
            #expect(created.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#, options: .regularExpression) != nil, "\(created)")
            // Both warehouses are zone 1 (under 50 km): 100 + 600 + 150 per further kilogram.
            // WH-A: 3 x 2.5 kg = 7.5 kg -> 8 kg, 1750 fen; WH-B: 5 x 2.5 kg = 12.5 kg -> 13 kg, 2500 fen.
            let shipments = view["shipments"] as? [[String: Any]] ?? []
            let byWarehouse = Dictionary(uniqueKeysWithValues: shipments.map { ($0["warehouse"] as? String ?? "", $0) })
            #expect(Set(byWarehouse.keys) == ["WH-A", "WH-B"])
            for (warehouse, units, grams, cost) in [("WH-A", 3, 7500, 1750), ("WH-B", 5, 12_500, 2500)] {
                let s = byWarehouse[warehouse] ?? [:]
                let parcels = s["parcels"] as? [[String: Any]] ?? []
                #expect(s["grams"] as? Int == grams && s["costFen"] as? Int == cost && s["zone"] as? Int == 0, "\(s)")
                #expect(parcels.count == 1 && parcels.first?["items"] as? [String: Int] == ["APPLE": units], "\(parcels)")
                #expect(parcels.first?["parcelNo"] as? Int == 1 && parcels.first?["costFen"] as? Int == cost)
                #expect(s["status"] as? String == "allocated")
                #expect(s["dueDate"] as? String == view["promisedDate"] as? String)
                let tracking = s["trackingNo"] as? String ?? ""
                #expect(tracking.hasPrefix(String(format: "RP%010lld", reply.id)) && tracking.count == 14, "\(tracking)")
            }
            #expect(shipments.map { $0["id"] as? Int ?? 0 } == shipments.map { $0["id"] as? Int ?? 0 }.sorted())

            // Reads show the order as it is now.
            #expect(try await app.send(.post, "/v1/orders/\(reply.id)/cancel", key: app.admin).status == 200)
            let after = try await app.send(.get, "/v1/orders/\(reply.id)", key: app.admin).json
            #expect(after["status"] as? String == "cancelled")
            #expect((after["shipments"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["cancelled", "cancelled"])
            let listed = try await app.send(.get, "/v1/orders?status=cancelled", key: app.admin).json["items"] as? [[String: Any]]
            #expect(listed?.map { $0["id"] as? Int } == [Int(reply.id)])
        }
    }

    @Test func sameKeySameBodyReplaysDifferentBodyIs422() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 10)])
            let key: HTTPFields = [.init("Idempotency-Key")!: "same"]
            let first = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 2)]), headers: key)
            let again = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 2)]), headers: key)
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.headers[.init("Idempotent-Replayed")!] == "true")
            let other = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 3)]), headers: key)
            #expect(other.status == 422)
            #expect(other.errorField == "Idempotency-Key")
            #expect(try await app.count("orders") == 1)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 2)
        }
    }

    /// The same key and body sent 20 times at once: one order, identical responses.
    @Test func retryStormCreatesOneOrder() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 50)])
            let port = try #require(app.client.port)
            let bodies = try await LoadClient.with(port: port, key: app.admin) { client in
                try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await client.submit(OrderFixture.order([("RICE", 3)]), idempotencyKey: "storm") }
                    }
                    return try await group.reduce(into: [(Int, Data)]()) { $0.append($1) }
                }
            }
            #expect(bodies.allSatisfy { $0.0 == 201 })
            #expect(Set(bodies.map(\.1)).count == 1)
            #expect(try await app.count("orders") == 1)
            #expect(try await OrderFixture.reserved(app, sku: "RICE") == 3)
        }
    }

    /// 100 units, 64 clients x 50 attempts of one unit each: exactly 100 reserved.
    @Test func concurrentIntakeNeverOversells() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 60), ("WH-B", "APPLE", 40)])
            let port = try #require(app.client.port)
            let outcomes = try await LoadClient.with(port: port, key: app.admin) { client in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for c in 0..<64 {
                        group.addTask {
                            var seen: [String] = []
                            for attempt in 0..<50 {
                                // Half the clients refuse partial fills, half accept backorders.
                                let (status, body) = try await client.submit(
                                    OrderFixture.order([("APPLE", 1)], allowPartial: c % 2 == 0 ? false : nil),
                                    idempotencyKey: "c\(c)-\(attempt)")
                                let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                                let outcome = status == 201 ? (json?["status"] as? String ?? "?") : "http\(status)"
                                seen.append((c % 2 == 0 ? "whole " : "partial ") + outcome)
                            }
                            return seen
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0 += $1 }
                }
            }
            let counts = outcomes.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            #expect(outcomes.count == 3200)
            #expect((counts["whole accepted"] ?? 0) + (counts["partial accepted"] ?? 0) == 100, "\(counts)")
            // Whole-order clients are refused (409) once stock runs out; the others are
            // backordered, never refused, however hard the race for the last units.
            #expect((counts["whole accepted"] ?? 0) + (counts["whole http409"] ?? 0) == 1600, "\(counts)")
            #expect((counts["partial accepted"] ?? 0) + (counts["partial backordered"] ?? 0) == 1600, "\(counts)")
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 100)
            let check = try await InventoryCheck(database: app.database).run()
            #expect(check.problems.isEmpty, "\(check.problems)")
        }
    }

    @Test func badOrderInputIsRefusedAndWritesNothing() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 10)])
            var n = 0
            func post(_ body: Any?, raw: String? = nil, key: String? = nil) async throws -> Reply {
                n += 1
                return try await app.send(.post, "/v1/orders", key: app.admin, json: body, body: raw,
                                          headers: [.init("Idempotency-Key")!: key ?? "bad-\(n)"])
            }
            var cases: [(Reply, Int, String?)] = []
            cases.append((try await post(OrderFixture.order([("APPLE", 0)])), 422, "lines[0].qty"))
            cases.append((try await post(OrderFixture.order([("APPLE", -2)])), 422, "lines[0].qty"))
            cases.append((try await post(OrderFixture.order([("NOPE", 1)])), 422, "lines[0].sku"))
            cases.append((try await post(OrderFixture.order([("FOREIGN", 1)])), 422, "lines[0].sku"))
            cases.append((try await post(OrderFixture.order([("APPLE", 1)], merchant: "M404")), 422, "merchant"))
            var wrongPoint = OrderFixture.order([("APPLE", 1)])
            wrongPoint["delivery"] = ["mode": "pickup", "pickupPoint": "PP404"]
            cases.append((try await post(wrongPoint), 422, "delivery.pickupPoint"))
            var home = OrderFixture.order([("APPLE", 1)])
            home["delivery"] = ["mode": "home", "address": "No. 3", "lat": 95.0, "lon": 110.0]
            cases.append((try await post(home), 422, "delivery.lat"))
            var phone = OrderFixture.order([("APPLE", 1)])
            phone["recipient"] = ["name": "X", "phone": "call me"]
            cases.append((try await post(phone), 422, "recipient.phone"))
            cases.append((try await post(nil, raw: "{\"merchant\": "), 400, nil))
            var huge = OrderFixture.order([("APPLE", 1)])
            huge["externalRef"] = String(repeating: "x", count: 2 << 20)
            cases.append((try await post(huge), 413, nil))
            let noKey = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 1)]))
            cases.append((noKey, 400, "Idempotency-Key"))
            for (reply, status, field) in cases {
                #expect(reply.status == status, "\(reply.text)")
                if let field { #expect(reply.errorField == field, "\(reply.text)") }
            }
            #expect(try await app.count("orders") == 0)
            #expect(try await app.count("shipments") == 0)
            #expect(try await app.count("idempotency_keys") == 0)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 0)
        }
    }

    @Test func cancelReleasesAndDispatchConsumes() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 20)])
            let first = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("RICE", 5)]),
                                           headers: [.init("Idempotency-Key")!: "o1"])
            let second = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("RICE", 4)]),
                                            headers: [.init("Idempotency-Key")!: "o2"])
            #expect(try await OrderFixture.reserved(app, sku: "RICE") == 9)
            let cancelled = try await app.send(.post, "/v1/orders/\(first.id)/cancel", key: app.admin)
            #expect(cancelled.json["status"] as? String == "cancelled", "\(cancelled.text)")
            #expect(try await OrderFixture.reserved(app, sku: "RICE") == 4)

            let shipment = ((second.json["shipments"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value ?? 0
            let skip = try await app.send(.post, "/v1/shipments/\(shipment)/status", key: app.admin, json: ["status": "dispatched"])
            #expect(skip.status == 409)
            for status in ["picked", "packed", "dispatched"] {
                #expect(try await app.send(.post, "/v1/shipments/\(shipment)/status", key: app.admin, json: ["status": status]).status == 200)
            }
            #expect(try await OrderFixture.reserved(app, sku: "RICE") == 0)
            let levels = try await app.send(.get, "/v1/warehouses/1/inventory", key: app.admin)
            #expect((levels.json["items"] as? [[String: Any]])?.first?["onHand"] as? Int == 16)
            #expect(try await app.send(.post, "/v1/orders/\(second.id)/cancel", key: app.admin).status == 409)
            let check = try await InventoryCheck(database: app.database).run()
            #expect(check.problems.isEmpty, "\(check.problems)")
            #expect(try await app.count("shipment_events") == 2 + 1 + 3)
        }
    }

    /// The order view shows when each shipment reaches its depot: nothing before dispatch,
    /// the line-haul's expected arrival once dispatched, the arrival once there.
    @Test func theOrderShowsWhenItsShipmentReachesTheDepot() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "RICE", 20)])
            let placed = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("RICE", 2)]),
                                            headers: [.init("Idempotency-Key")!: "arrival"])
            #expect(placed.status == 201, "\(placed.text)")
            let shipment = try #require(((placed.json["shipments"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
            func shown() async throws -> (present: Bool, value: String?) {
                let order = try await app.send(.get, "/v1/orders/\(placed.id)", key: app.admin)
                let fields = (order.json["shipments"] as? [[String: Any]])?.first { ($0["id"] as? NSNumber)?.int64Value == shipment }
                return (fields?["depotArrival"] != nil, fields?["depotArrival"] as? String)
            }
            #expect(placed.text.contains("depotArrival") == false)
            for status in ["picked", "packed"] {
                #expect(try await app.send(.post, "/v1/shipments/\(shipment)/status", key: app.admin, json: ["status": status]).status == 200)
            }
            #expect(try await shown().present == false, "no arrival before dispatch")

            let expected = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            let dispatched = try await app.send(.post, "/v1/shipments/\(shipment)/status", key: app.admin,
                                                json: ["status": "dispatched", "depotArrival": expected])
            #expect(dispatched.status == 200, "\(dispatched.text)")
            #expect(try await shown().value == expected)

            #expect(try await app.send(.post, "/v1/shipments/\(shipment)/status", key: app.admin, json: ["status": "at_depot"]).status == 200)
            let arrival = try await shown().value
            let arrivedAt = try #require(arrival.flatMap { ISO8601DateFormatter().date(from: $0) }, "depotArrival \(arrival ?? "absent")")
            #expect(abs(arrivedAt.timeIntervalSinceNow) < 60, "arrived at \(arrival ?? "")")

            // A replay of the order's creation answers what was acknowledged then.
            let replay = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("RICE", 2)]),
                                            headers: [.init("Idempotency-Key")!: "arrival"])
            #expect(replay.text == placed.text)
        }
    }

    @Test func peakQuotaAcceptsWithoutPromiseOrRefusesPerMerchantPolicy() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let fixture = try await OrderFixture.setUp(app, stock: [("WH-A", "TEA", 100)])
            _ = try await app.send(.patch, "/v1/merchants/\(fixture.merchant)", key: app.admin, json: ["dailyQuota": 2])
            var replies: [Reply] = []
            for i in 0..<3 {
                replies.append(try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("TEA", 1)]),
                                                  headers: [.init("Idempotency-Key")!: "q\(i)"]))
            }
            #expect(replies.map(\.status) == [201, 201, 201])
            #expect(replies.map { $0.json["quotaStatus"] as? String } == ["within_quota", "within_quota", "over_quota"])
            #expect(replies[0].json["promisedDate"] as? String != nil)
            #expect(replies[2].json["promisedDate"] == nil)

            _ = try await app.send(.patch, "/v1/merchants/\(fixture.merchant)", key: app.admin, json: ["overQuotaPolicy": "refuse"])
            let refused = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("TEA", 1)]),
                                             headers: [.init("Idempotency-Key")!: "q3"])
            #expect(refused.status == 409)
            #expect(refused.errorField == "merchant")
            #expect(try await app.count("orders") == 3)
            #expect(try await OrderFixture.reserved(app, sku: "TEA") == 3)
        }
    }

    @Test func quoteReservesNothing() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 10)])
            let quote = try await app.send(.post, "/v1/quotes", key: app.admin, json: OrderFixture.order([("APPLE", 2)]))
            #expect(quote.status == 200, "\(quote.text)")
            #expect(quote.json["fillable"] as? Bool == true)
            #expect((quote.json["costFen"] as? Int ?? 0) > 0)
            #expect(try await OrderFixture.reserved(app, sku: "APPLE") == 0)
            #expect(try await app.count("orders") == 0)
        }
    }
}
