import Crypto
import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// The server pepper behind pickup-code hashes, and the key that seals codes while
/// they wait in the notification outbox.
///
/// The pepper comes from `RURALPOST_PICKUP_PEPPER` or, when that is unset, from a
/// random secret generated once and kept in `server_secrets`, so every server
/// instance on one database agrees on it. It is never logged or returned.
public actor PickupSecrets {
    let database: Database
    let environmentPepper: String?
    private var cached: SymmetricKey?

    public init(database: Database, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.database = database
        self.environmentPepper = environment["RURALPOST_PICKUP_PEPPER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The HMAC key for pickup codes.
    public func pepper() async throws -> SymmetricKey {
        if let cached { return cached }
        let key: SymmetricKey
        if let environmentPepper {
            guard environmentPepper.utf8.count >= 16 else {
                throw DomainError.internalError("RURALPOST_PICKUP_PEPPER must be at least 16 characters")
            }
            key = SymmetricKey(data: Data(environmentPepper.utf8))
        } else {
            key = SymmetricKey(data: try await storedPepper())
        }
        cached = key
        return key
    }

    /// Reads the stored pepper, creating it first if this database has none. Two
    /// servers racing here both read the row that won.
    private func storedPepper() async throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let fresh = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return try await PickupStore.pepper(orStore: fresh, database: database)
    }

    // MARK: - codes

    /// A new 6-digit pickup code from the system CSPRNG.
    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = String(generator.next(upperBound: UInt32(1_000_000)))
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// HMAC-SHA256(pepper, pickup id || code): binding the id means equal codes on two
    /// parcels hash differently and a stolen hash cannot be replayed on another parcel.
    static func hash(code: String, pickupId: Int64, pepper: SymmetricKey) -> ByteBuffer {
        ByteBuffer(bytes: HMAC<SHA256>.authenticationCode(for: Data("\(pickupId):\(code)".utf8), using: pepper))
    }

    /// Constant-time check of `code` against a stored hash.
    static func verify(code: String, pickupId: Int64, hash: ByteBuffer, pepper: SymmetricKey) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(Array(hash.readableBytesView), authenticating: Data("\(pickupId):\(code)".utf8),
                                               using: pepper)
    }

    // MARK: - sealing codes in the outbox

    static func sealingKey(_ pepper: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: pepper, info: Data("ruralpost outbox seal v1".utf8), outputByteCount: 32)
    }

    /// The code encrypted (AES-GCM) for the outbox row; only the delivery worker opens it.
    static func seal(_ code: String, pepper: SymmetricKey) throws -> ByteBuffer {
        guard let combined = try AES.GCM.seal(Data(code.utf8), using: sealingKey(pepper)).combined else {
            throw DomainError.internalError("could not seal a pickup code")
        }
        return ByteBuffer(bytes: combined)
    }

    static func open(_ sealed: ByteBuffer, pepper: SymmetricKey) throws -> String {
        let box = try AES.GCM.SealedBox(combined: Data(sealed.readableBytesView))
        return String(decoding: try AES.GCM.open(box, using: sealingKey(pepper)), as: UTF8.self)
    }
}
