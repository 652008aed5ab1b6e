import Crypto
import Foundation
import Persistence
import RuralPostCore

/// Signing of webhook deliveries: `X-RuralPost-Signature: sha256=<hex>` where the hex
/// is HMAC-SHA256(receiver's webhook secret, "<timestamp>.<body>") and the timestamp
/// (Unix seconds) is sent as `X-RuralPost-Timestamp`. Receivers recompute it over the
/// raw body and refuse stale timestamps, which stops replays.
public enum WebhookSignature {
    public static let timestampHeader = "X-RuralPost-Timestamp"
    public static let signatureHeader = "X-RuralPost-Signature"

    /// The signature header's value.
    public static func sign(body: Data, timestamp: Int64, secret: String) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.string(mac)
    }

    /// Whether `signature` is valid for the body and the timestamp is within `tolerance` of `now`.
    public static func verify(body: Data, timestamp: String, signature: String, secret: String,
                              now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        guard let ts = Int64(timestamp), abs(now.timeIntervalSince1970 - Double(ts)) <= tolerance,
              signature.hasPrefix("sha256="), let given = Hex.bytes(signature.dropFirst(7))
        else { return false }
        var message = Data("\(ts).".utf8)
        message.append(body)
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message, using: SymmetricKey(data: Data(secret.utf8)))
    }
}
