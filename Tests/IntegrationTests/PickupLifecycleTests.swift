import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Check-in, notification with the code, lookup, counter, hand-over, single use,
/// slot capacity, extension, lock and unlock, expiry with a return shipment and
/// stock back on hand. Real PostgreSQL, real HTTP, a local webhook receiver.
@Suite struct PickupLifecycleTests {
    @Test func fullLifecycleOfAnOrderParcel() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                let (shipmentId, tracking, _) = try await world.orderOutForDelivery(phone: "13912345678")

                let arrived = try await world.arrive([["shipmentId": shipmentId]])
                #expect(arrived.status == 201, "\(arrived.text)")
                let pickup = arrived.items.first ?? [:]
                #expect(pickup["slotNo"] as? Int == 1)
                #expect(pickup["recipientPhoneLast4"] as? String == "5678")
                #expect(pickup["status"] as? String == "waiting")
                #expect(pickup["holdUntil"] != nil)
                #expect(pickup["code"] == nil && pickup["codeHash"] == nil)
                // Checking the same parcel in twice is refused.
                #expect(try await world.arrive([["trackingNo": tracking]]).status == 409)

                let note = try #require(try await receiver.wait(for: 1, event: "arrived").first)
                #expect(note.signatureValid)
                #expect(note.trackingNos == [tracking])
                #expect(note.json["recipientPhone"] as? String == "13912345678")
                let code = try #require(note.code)
                #expect(code.count == 6 && code.allSatisfy(\.isNumber))

                // Lookup by phone digits lists the parcel, never a code.
                let lookup = try await app.send(.get, "/v1/pickup-points/\(world.pointA)/pickups?phoneLast4=5678", key: world.keyA)
                #expect(lookup.status == 200)
                #expect(lookup.items.count == 1)
                #expect(!lookup.text.contains(code))
                #expect(try await app.send(.get, "/v1/pickup-points/\(world.pointA)/pickups?phoneLast4=0000", key: world.keyA).items.isEmpty)

                var counter = try await world.counter()
                #expect(counter.int("waiting") == 1)
                #expect(counter.int("freeSlots") == 49)

                let wrong = try await world.collect(code: code == "000000" ? "000001" : "000000", last4: "5678")
                #expect(wrong.status == 422)
                #expect(wrong.errorCode == "wrong_code")
                #expect(try await world.collect(code: code, last4: "1111").status == 422)

                let collected = try await world.collect(code: code, last4: "5678")
                #expect(collected.status == 200, "\(collected.text)")
                #expect(collected.items.first?["status"] as? String == "collected")
                #expect(collected.items.first?["collectedBy"] as? String == "recipient")
                #expect(collected.items.first?["collectedAt"] != nil)
                // Single use.
                #expect(try await world.collect(code: code, last4: "5678").status == 422)

                counter = try await world.counter()
                #expect(counter.int("waiting") == 0)
                #expect(counter.int("freeSlots") == 50)
                #expect(counter.int("collectedToday") == 1)
                let shipment = try await app.database.query("SELECT status FROM shipments WHERE id = \(shipmentId)")
                for try await status in shipment.decode(String.self) { #expect(status == "collected") }
                let who = try await app.database.query("SELECT collected_by_key IS NOT NULL, collected_at IS NOT NULL FROM pickups")
                for try await (key, at) in who.decode((Bool, Bool).self) { #expect(key && at) }
            }
        }
    }

    /// The generic status change cannot put a parcel on a shelf or take it off: that
    /// would skip the slot and the pickup code.
    @Test func shelfStepsGoOnlyThroughThePickupPoint() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            let (shipmentId, _, _) = try await world.orderOutForDelivery()
            let status = "/v1/shipments/\(shipmentId)/status"
            let skipped = try await app.send(.post, status, key: app.admin, json: ["status": "at_pickup_point"])
            #expect(skipped.status == 409)
            #expect(skipped.errorField == "status")
            #expect(try await app.count("pickups") == 0)

            #expect(try await world.arrive([["shipmentId": shipmentId]]).status == 201)
            for target in ["collected", "returned"] {
                let bypass = try await app.send(.post, status, key: app.admin, json: ["status": target])
                #expect(bypass.status == 409, "\(target): \(bypass.text)")
                #expect(bypass.errorField == "status")
            }
            let counter = try await world.counter()
            #expect(counter.int("waiting") == 1)
            #expect(counter.int("freeSlots") == 49)
        }
    }

    @Test func foreignParcelsShareAPointAndSlotCapacityIsEnforced() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app, capacity: 3)
            let first = try await world.arrive([PickupWorld.foreign("SF1", phone: "13800000001"), PickupWorld.foreign("YT2", phone: "13800000002", carrier: "yto")])
            #expect(first.status == 201, "\(first.text)")
            #expect(first.items.compactMap { $0["slotNo"] as? Int }.sorted() == [1, 2])
            #expect(first.items.first?["kind"] as? String == "foreign")
            // Two more than the one free slot: the whole arrival is refused.
            let tooMany = try await world.arrive([PickupWorld.foreign("SF3"), PickupWorld.foreign("SF4")])
            #expect(tooMany.status == 409)
            #expect(tooMany.errorField == "parcels")
            #expect(try await app.count("pickups") == 2)
            #expect(try await world.arrive([PickupWorld.foreign("SF3")]).status == 201)
            let full = try await world.counter()
            #expect(full.int("freeSlots") == 0)
            #expect(full["full"] as? Bool == true)
            let refused = try await world.arrive([PickupWorld.foreign("SF5")])
            #expect(refused.status == 409)
            #expect(refused.errorCode == "conflict")
            // The planner reads the same counter.
            let planner = try await app.key(.planner)
            let seen = try await app.send(.get, "/v1/pickup-points/\(world.pointA)/counter", key: planner)
            #expect(seen.json["full"] as? Bool == true)

            // Unknown tracking numbers without a carrier, and missing phones, are 422.
            let unknown = try await world.arrive([["trackingNo": "NOPE"]])
            #expect(unknown.status == 422)
            #expect(unknown.errorField == "parcels[0].trackingNo")
            let noPhone = try await world.arrive([["trackingNo": "SF9", "carrier": "sf-express"]])
            #expect(noPhone.errorField == "parcels[0].recipientPhone")
            #expect(try await world.arrive([["trackingNo": "SF9", "colour": "red"]]).errorField == "parcels[0].colour")
        }
    }

    @Test func extensionOnceBeforeTheDeadline() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret, holdDays: 3, extensionDays: 2)
                let pickup = try await world.arrive([PickupWorld.foreign("SF1")]).items.first ?? [:]
                let id = pickup.int("id") ?? -1
                let extended = try await app.send(.post, "/v1/pickup-points/\(world.pointA)/pickups/\(id)/extend", key: world.keyA)
                #expect(extended.status == 200, "\(extended.text)")
                #expect(extended.json["extended"] as? Bool == true)
                let rows = try await app.database.query(
                    "SELECT extract(epoch FROM hold_until - checked_in_at)::bigint FROM pickups WHERE id = \(id)")
                for try await seconds in rows.decode(Int64.self) { #expect(seconds == 5 * 86400) }
                let again = try await app.send(.post, "/v1/pickup-points/\(world.pointA)/pickups/\(id)/extend", key: world.keyA)
                #expect(again.status == 409)
                let note = try await receiver.wait(for: 1, event: "extended")
                #expect(note.count == 1)
                #expect(note.first?.code == nil)

                // After the deadline no extension.
                let late = try await world.arrive([PickupWorld.foreign("SF2", phone: "13800000009")]).items.first?.int("id") ?? -1
                try await world.endHolds()
                #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/pickups/\(late)/extend", key: world.keyA).status == 409)
            }
        }
    }

    @Test func fiveWrongCodesLockUntilStaffUnlockWithAReason() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                // Two parcels of one recipient in one arrival share a code.
                let arrived = try await world.arrive([PickupWorld.foreign("SF1", phone: "13700004321"), PickupWorld.foreign("SF2", phone: "13700004321")])
                #expect(arrived.status == 201)
                let code = try #require(try await receiver.wait(for: 1, event: "arrived").first?.code)
                let wrong = code == "999999" ? "999998" : "999999"
                for attempt in 1...5 {
                    let reply = try await world.collect(code: wrong, last4: "4321")
                    #expect(reply.status == (attempt < 5 ? 422 : 423), "attempt \(attempt): \(reply.text)")
                }
                // Locked: even the right code is refused.
                let locked = try await world.collect(code: code, last4: "4321")
                #expect(locked.status == 423)
                #expect(locked.errorCode == "locked")
                let counter = try await world.counter()
                #expect(counter.int("locked") == 2)

                let id = arrived.items.first?.int("id") ?? -1
                let noReason = try await app.send(.post, "/v1/pickup-points/\(world.pointA)/pickups/\(id)/unlock", key: world.keyA, json: ["reason": ""])
                #expect(noReason.status == 422)
                #expect(noReason.errorField == "reason")
                let unlocked = try await app.send(.post, "/v1/pickup-points/\(world.pointA)/pickups/\(id)/unlock", key: world.keyA,
                                                  json: ["reason": "recipient showed ID card"])
                #expect(unlocked.status == 200)
                #expect(unlocked.json["locked"] as? Bool == false)
                // Only the unlocked parcel goes; the other stays locked.
                let collected = try await world.collect(code: code, last4: "4321")
                #expect(collected.status == 200, "\(collected.text)")
                #expect(collected.items.count == 1)
                let audit = try await app.database.query("SELECT action, reason FROM pickup_audit WHERE action = 'unlocked'")
                for try await (action, reason) in audit.decode((String, String?).self) {
                    #expect(action == "unlocked")
                    #expect(reason == "recipient showed ID card")
                }
            }
        }
    }

    @Test func expiryReturnsTheParcelAndStockComesBackWhenTheReturnIsReceived() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                let (shipmentId, tracking, warehouse) = try await world.orderOutForDelivery(qty: 2)
                #expect(try await world.onHand(warehouse) == 8)
                let arrived = try await world.arrive([["trackingNo": tracking]])
                #expect(arrived.status == 201)
                try await world.endHolds()
                #expect(try await world.counter().int("overdue") == 1)

                let system = try await APIKeyStore(database: app.database).systemCaller()
                #expect(try await world.service().expire(caller: system) == 1)
                #expect(try await world.service().expire(caller: system) == 0)

                let counter = try await world.counter()
                #expect(counter.int("waiting") == 0)
                #expect(counter.int("freeSlots") == 50)
                #expect(counter.int("returnedThisWeek") == 1)
                var returnId: Int64 = -1
                let rows = try await app.database.query("""
                    SELECT r.id, r.kind, r.status, r.warehouse_id, o.status, p.status, p.return_shipment_id = r.id
                    FROM shipments r JOIN shipments o ON o.id = r.returns_shipment_id JOIN pickups p ON p.shipment_id = o.id
                    WHERE o.id = \(shipmentId)
                    """)
                for try await (id, kind, status, wh, original, pickup, linked) in rows.decode((Int64, String, String, Int64?, String, String, Bool).self) {
                    returnId = id
                    #expect(kind == "return")
                    #expect(status == "returned")
                    #expect(wh == warehouse)
                    #expect(original == "returned")
                    #expect(pickup == "returned")
                    #expect(linked)
                }
                #expect(returnId > 0)
                let note = try await receiver.wait(for: 1, event: "returned")
                #expect(note.first?.trackingNos == [tracking])

                // Receiving the original directly would count the units twice: refused.
                #expect(try await app.send(.post, "/v1/shipments/\(shipmentId)/status", key: app.admin,
                                           json: ["status": "return_received"]).status == 409)
                let operatorKey = try await app.key(.operator, [(.warehouse, "WH-1")])
                let received = try await app.send(.post, "/v1/shipments/\(returnId)/status", key: operatorKey,
                                                  json: ["status": "return_received", "note": "back on the shelf"])
                #expect(received.status == 200, "\(received.text)")
                #expect(try await world.onHand(warehouse) == 10)
                let ledger = try await app.database.query(
                    "SELECT delta_on_hand, shipment_id FROM inventory_movements WHERE kind = 'return'")
                var returnRows = 0
                for try await (delta, shipment) in ledger.decode((Int64, Int64?).self) {
                    returnRows += 1
                    #expect(delta == 2)
                    #expect(shipment == returnId)
                }
                #expect(returnRows == 1)
                let original = try await app.database.query("SELECT status FROM shipments WHERE id = \(shipmentId)")
                for try await status in original.decode(String.self) { #expect(status == "return_received") }
                let check = try await InventoryCheck(database: app.database).run()
                #expect(check.problems.isEmpty, "\(check.problems)")
                // Receiving it again is an illegal step.
                #expect(try await app.send(.post, "/v1/shipments/\(returnId)/status", key: operatorKey,
                                           json: ["status": "return_received"]).status == 409)
                #expect(try await world.onHand(warehouse) == 10)
            }
        }
    }

    @Test func remindersGoOutOnceADayBeforeTheDeadline() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                #expect(try await world.arrive([PickupWorld.foreign("SF1"), PickupWorld.foreign("SF2", phone: "13800000002")]).status == 201)
                let system = try await APIKeyStore(database: app.database).systemCaller()
                #expect(try await world.service().remind(caller: system) == 0)
                try await app.database.query("UPDATE pickups SET hold_until = now() + interval '20 hours' WHERE id = (SELECT min(id) FROM pickups)")
                #expect(try await world.service().remind(caller: system) == 1)
                #expect(try await world.service().remind(caller: system) == 0)
                let reminders = try await receiver.wait(for: 1, event: "reminder")
                #expect(reminders.count == 1)
                #expect(reminders.first?.code == nil)
            }
        }
    }
}
