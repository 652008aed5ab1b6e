import AsyncHTTPClient
import Foundation
import Logging
import Logistics
import NIOCore
import Persistence
import RuralPostCore
import ServiceLifecycle

/// Sends queued pickup notifications as signed webhooks (see `WebhookSignature`),
/// retrying with exponential backoff and parking repeated failures as dead letters.
/// Runs inside the server; several servers share the outbox safely (rows are claimed
/// with `FOR UPDATE SKIP LOCKED`). Logs never contain bodies: they carry codes.
struct NotificationDeliveryService: Service {
    let outbox: NotificationOutbox
    let settings: WorkerSettings
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var pacing = WorkerPacing(name: "notification delivery", logger: logger, interval: settings.pollInterval)
            while !Task.isCancelled {
                var claimed = 0
                var wait = settings.pollInterval
                do {
                    claimed = try await deliverDue()
                    pacing.succeeded()
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    // The database may be unreachable: back off, logging once.
                    wait = pacing.failed(error)
                }
                if claimed < settings.batchSize {
                    try? await Task.sleep(for: wait)
                }
            }
        }
    }

    /// One round: claim due notifications and send them concurrently; returns how many.
    func deliverDue() async throws -> Int {
        let due = try await outbox.claim(limit: settings.batchSize, lease: settings.lease)
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask { await deliver(delivery) }
            }
        }
        return due.count
    }

    func deliver(_ delivery: NotificationOutbox.Delivery) async {
        let meta: Logger.Metadata = ["notification": "\(delivery.id)", "kind": "\(delivery.kind)", "attempt": "\(delivery.attempts)"]
        do {
            guard let endpoint = delivery.endpoint else {
                try await outbox.markFailed(id: delivery.id, error: "no webhook endpoint configured for the merchant or service centre",
                                            httpStatus: nil, retryAfter: nil)
                logger.notice("notification has no endpoint; dead letter", metadata: meta)
                return
            }
            guard let secret = delivery.secret else {
                try await outbox.markFailed(id: delivery.id, error: "no webhook secret configured; deliveries must be signed",
                                            httpStatus: nil, retryAfter: nil)
                logger.notice("notification has no signing secret; dead letter", metadata: meta)
                return
            }
            var status: Int?
            var failure: String?
            do {
                status = try await post(delivery, to: endpoint, secret: secret)
                if let code = status, !(200..<300).contains(code) { failure = "HTTP \(code)" }
            } catch {
                failure = "\(type(of: error)): \(error)"
            }
            guard let failure else {
                try await outbox.markSent(id: delivery.id, httpStatus: status ?? 200)
                logger.debug("notification sent", metadata: meta)
                return
            }
            let retry = delivery.attempts < settings.maxAttempts ? settings.backoff(afterAttempts: delivery.attempts) : nil
            try await outbox.markFailed(id: delivery.id, error: failure, httpStatus: status, retryAfter: retry)
            var failed = meta
            failed["error"] = "\(failure)"
            logger.warning(retry == nil ? "notification failed; dead letter" : "notification failed; will retry", metadata: failed)
        } catch {
            // Recording the result failed; the lease expires and the row is retried.
            logger.warning("could not record a notification result", metadata: meta.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// POSTs the signed body; returns the HTTP status.
    func post(_ delivery: NotificationOutbox.Delivery, to endpoint: String, secret: String) async throws -> Int {
        let timestamp = Int64(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ruralpost-webhooks/1")
        request.headers.add(name: "X-RuralPost-Event", value: delivery.kind)
        request.headers.add(name: "X-RuralPost-Delivery", value: "\(delivery.id)")
        request.headers.add(name: WebhookSignature.timestampHeader, value: "\(timestamp)")
        request.headers.add(name: WebhookSignature.signatureHeader,
                            value: WebhookSignature.sign(body: delivery.body, timestamp: timestamp, secret: secret))
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        let timeout = TimeAmount.milliseconds(Int64(settings.requestTimeout.components.seconds * 1000
                                                    + settings.requestTimeout.components.attoseconds / 1_000_000_000_000_000))
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        // Drain (and ignore) the receiver's answer so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
