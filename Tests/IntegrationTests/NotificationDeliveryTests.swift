import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// The outbox worker against a local receiver: signatures, retries with backoff,
/// dead letters visible through the API, and requeueing them.
@Suite struct NotificationDeliveryTests {
    @Test func signedDeliveryIsRetriedAfterFailures() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast(maxAttempts: 4)) { (app: TestApp) async throws in
                await receiver.state.set(failNext: 2)
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                #expect(try await world.arrive([PickupWorld.foreign("SF1")]).status == 201)
                let delivered = try await receiver.wait(for: 1)
                #expect(delivered.count == 1)
                #expect(delivered.first?.signatureValid == true)
                #expect(delivered.first?.event == "arrived")
                #expect(await receiver.state.requests == 3)
                // Let the worker record the result.
                var sent: (String, Int64, Bool, String?)?
                for _ in 0..<100 {
                    let rows = try await app.database.query(
                        "SELECT status, attempts::bigint, sealed_code IS NULL, last_error FROM notification_outbox")
                    for try await row in rows.decode((String, Int64, Bool, String?).self) { sent = row }
                    if sent?.0 == "sent" { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(sent?.0 == "sent")
                #expect(sent?.1 == 3)
                #expect(sent?.2 == true)  // the sealed code is wiped once delivered
                #expect(sent?.3 == nil)
                // The body is what was signed; a tampered body or wrong secret fails verification.
                let body = try #require(delivered.first?.body)
                let ts = Int64(Date().timeIntervalSince1970)
                let signature = WebhookSignature.sign(body: body, timestamp: ts, secret: receiver.secret)
                #expect(WebhookSignature.verify(body: body, timestamp: "\(ts)", signature: signature, secret: receiver.secret))
                #expect(!WebhookSignature.verify(body: body + Data(" ".utf8), timestamp: "\(ts)", signature: signature, secret: receiver.secret))
                #expect(!WebhookSignature.verify(body: body, timestamp: "\(ts)", signature: signature, secret: "other"))
                #expect(!WebhookSignature.verify(body: body, timestamp: "\(ts - 3600)",
                                                 signature: WebhookSignature.sign(body: body, timestamp: ts - 3600, secret: receiver.secret),
                                                 secret: receiver.secret))
            }
        }
    }

    @Test func repeatedFailuresBecomeDeadLettersVisibleAndRetryable() async throws {
        try await WebhookReceiver.run { receiver, url in
            try await TestApp.run(config: PickupConfig.fast(maxAttempts: 3)) { (app: TestApp) async throws in
                await receiver.state.set(alwaysFail: true)
                let world = try await PickupWorld.make(app, webhookURL: url, secret: receiver.secret)
                #expect(try await world.arrive([PickupWorld.foreign("SF1")]).status == 201)
                var dead: [[String: Any]] = []
                for _ in 0..<200 {
                    dead = try await app.send(.get, "/v1/notifications?status=dead", key: world.keyA).items
                    if !dead.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let letter = try #require(dead.first)
                #expect(letter["attempts"] as? Int == 3)
                #expect(letter["lastStatus"] as? Int == 500)
                #expect(letter["lastError"] as? String == "HTTP 500")
                #expect(letter["kind"] as? String == "arrived")
                #expect(letter["payload"] == nil && letter["code"] == nil)
                #expect(await receiver.state.requests == 3)
                // Another centre sees none of it and cannot requeue it.
                #expect(try await app.send(.get, "/v1/notifications?status=dead", key: world.keyB).items.isEmpty)
                let id = letter.int("id") ?? -1
                #expect(try await app.send(.post, "/v1/notifications/\(id)/retry", key: world.keyB).status == 404)

                // Fixed receiver, requeued letter: delivered with the code.
                await receiver.state.set(alwaysFail: false)
                let retried = try await app.send(.post, "/v1/notifications/\(id)/retry", key: world.keyA)
                #expect(retried.status == 200, "\(retried.text)")
                let delivered = try await receiver.wait(for: 1)
                #expect(delivered.first?.code?.count == 6)
                #expect(try await app.send(.post, "/v1/notifications/\(id)/retry", key: world.keyA).status == 409)
            }
        }
    }

    @Test func missingEndpointIsADeadLetterAtOnce() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            #expect(try await world.arrive([PickupWorld.foreign("SF1")]).status == 201)
            var dead: [[String: Any]] = []
            for _ in 0..<100 {
                dead = try await app.send(.get, "/v1/notifications?status=dead", key: app.admin).items
                if !dead.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(dead.count == 1)
            #expect((dead.first?["lastError"] as? String)?.contains("no webhook endpoint") == true)
            #expect(try await app.send(.get, "/v1/notifications", key: try await app.key(.planner)).status == 403)
        }
    }
}
