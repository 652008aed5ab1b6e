import Foundation
import HTTPTypes
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Guessing codes fails: per-recipient lockout plus per-point and per-key rate limits.
@Suite(SoloRun.trait) struct PickupBruteForceTests {
    @Test func tenThousandGuessesHandOverNothing() async throws {
        var config = PickupConfig.fast()
        // A one-second window (instead of a minute) lets far more guesses be evaluated
        // in this short run, which makes the lockout do real work too.
        config.pickups.failureWindow = .seconds(1)
        try await TestApp.run(config: config) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app, capacity: 250)
            // 200 parcels for 50 recipients, 4 each.
            let phones = (0..<50).map { "1380000\(1000 + $0 * 7)" }
            let parcels = (0..<200).map { PickupWorld.foreign("SF\(100_000 + $0)", phone: phones[$0 % 50]) }
            let arrived = try await world.arrive(parcels)
            #expect(arrived.status == 201, "\(arrived.text)")
            let secondKey = try await app.key(.serviceCentre, [(.serviceCentre, "SC-A")])
            let port = try #require(app.client.port)
            let path = "/v1/pickup-points/\(world.pointA)/collect"
            let keys = [world.keyA, secondKey]
            let lastDigits = phones.map { String($0.suffix(4)) }

            let total = 10_000
            let started = ContinuousClock.now
            let counts = try await RawHTTPConnection.hammer(port: port, threads: 16, total: total) { connection, n in
                var generator = SystemRandomNumberGenerator()
                let code = String(String(1_000_000 + generator.next(upperBound: UInt32(1_000_000))).dropFirst())
                // Three guesses in four go after the same two recipients, as an attacker with
                // a target would: of the point's 20 failures a window, ~7 fall on each of them,
                // past the lockout at 5 in the first window, however fast the 429s come back
                // (sprayed over 50 recipients, a fast run locked nobody).
                let phone = n % 4 == 0 ? lastDigits[(n / 4) % 50] : lastDigits[(n / 2) % 2]
                return try connection.post(path: path, bearer: keys[n % 2],
                                           json: #"{"code":"\#(code)","phoneLast4":"\#(phone)"}"#)
            }
            // Timing is reported, not asserted: alone it takes ~15 s on a busy 2-core machine
            // (debug build), but the suite runs other heavy tests in parallel.
            let elapsed = ContinuousClock.now - started
            print("brute force: \(counts.sorted { $0.key < $1.key }) in \(elapsed)")
            #expect(counts.values.reduce(0, +) == total)
            #expect(counts[200] == nil, "a guessed code handed parcels over")
            #expect((counts[429] ?? 0) > 0, "no rate limiting observed")
            #expect((counts[423] ?? 0) + (counts[422] ?? 0) > 0)
            #expect(Set(counts.keys).isSubset(of: [422, 423, 429]), "\(counts)")

            let rows = try await app.database.query("""
                SELECT count(*) FILTER (WHERE status = 'collected')::bigint, count(*) FILTER (WHERE status = 'waiting')::bigint,
                       count(*) FILTER (WHERE locked)::bigint FROM pickups
                """)
            for try await (collected, waiting, locked) in rows.decode((Int64, Int64, Int64).self) {
                #expect(collected == 0)
                #expect(waiting == 200)
                #expect(locked > 0, "no lockouts observed")
            }
        }
    }

    @Test func twentyFailuresAMinuteAtAPointOrFromAKeyGet429() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            // A second point of the same centre, for the per-key limit.
            let second = try await app.send(.post, "/v1/pickup-points", key: app.admin, json: [
                "code": "PP-A2", "name": "Second", "kind": "post_outlet", "lat": 30.2, "lon": 118.2, "serviceCentreId": world.centreA,
                "depotId": world.depot, "openingHours": [:] as [String: Any], "slotCapacity": 10, "holdDays": 3]).id
            for _ in 0..<20 {
                #expect(try await world.collect(code: "123456", last4: "9999").status == 422)
            }
            let limited = try await world.collect(code: "123456", last4: "9999")
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            // Until the oldest failure leaves the one-minute window.
            let retryAfter = Int(limited.headers[.retryAfter] ?? "") ?? 0
            #expect((1...60).contains(retryAfter))
            // Per point: another key at the same point is limited too.
            let otherKey = try await app.key(.serviceCentre, [(.serviceCentre, "SC-A")])
            #expect(try await world.collect(code: "123456", last4: "9999", key: otherKey).status == 429)
            // Per key: the same key at another point is limited too.
            #expect(try await world.collect(code: "123456", last4: "9999", at: second).status == 429)
            // The other key at the other point is not.
            #expect(try await world.collect(code: "123456", last4: "9999", at: second, key: otherKey).status == 422)
            #expect(try await app.count("pickup_failures") == 21)
        }
    }
}
