import Persistence
import RuralPostCore
/// An order as the API returns it: the order, where each part ships from, parcels,
/// costs, and what could not be filled.
public struct OrderView: Codable, Sendable, Equatable {
    public struct Parcel: Codable, Sendable, Equatable {
        public let parcelNo: Int
        public let grams: Int64
        public let costFen: Int64
        public let items: [String: Int64]
    }

    public struct Shipment: Codable, Sendable, Equatable {
        public let id: Int64
        public let trackingNo: String
        public let warehouse: String
        public let status: String
        public let zone: Int?
        public let grams: Int64
        public let costFen: Int64
        public let dueDate: String?
        /// The line-haul's expected arrival at the depot (dispatched), or the arrival (at
        /// the depot and after); absent before dispatch and when none was recorded.
        public let depotArrival: String?
        public let parcels: [Parcel]
    }

    public let id: Int64
    public let merchant: String
    public let externalRef: String?
    public let channel: String
    public let status: String
    public let deliveryMode: String
    public let pickupPoint: String?
    public let priority: Int
    /// `within_quota` (with a promised date) or `over_quota` (without one).
    public let quotaStatus: String
    public let promisedDate: String?
    public let costFen: Int64
    public let lines: [OrderRequest.Line]
    public let shipments: [Shipment]
    public let unfilled: [String: Int64]
    public let explain: [String]
    public let createdAt: String
}

/// What `POST /v1/quotes` answers: the split and its cost, nothing reserved.
public struct QuoteView: Codable, Sendable, Equatable {
    public struct Shipment: Codable, Sendable, Equatable {
        public let warehouse: String
        public let zone: Int?
        public let costFen: Int64
        public let parcels: [OrderView.Parcel]
    }

    public let merchant: String
    public let fillable: Bool
    public let exact: Bool
    public let costFen: Int64
    public let shipments: [Shipment]
    public let unfilled: [String: Int64]
    public let explain: [String]
}
