import Foundation
import Logistics
import RuralPostCore

/// How travel and service times are estimated, and how long to search.
public struct PlanSettings: Sendable {
    /// Road distance = great-circle distance x this factor (winding valley roads).
    public var roadFactor = 1.35
    /// Van speed in km/h in the county town (both ends within `townRadiusKm` of the depot).
    public var townSpeedKmh = 22.0
    /// Van speed in km/h on rural roads.
    public var ruralSpeedKmh = 38.0
    public var townRadiusKm = 4.0
    /// Plan on the imported road network when it covers the depot (else, or when false,
    /// on the great-circle estimate above).
    public var useRoadNetwork = true
    /// A location farther than this from every road is not planned (reason `offRoad`)
    /// rather than silently connected to a far road.
    public var snapMaxMetres = 500.0
    /// Time at each stop (parking, paperwork), plus per parcel handed over or collected.
    public var stopServiceSeconds: Int64 = 300
    public var parcelServiceSeconds: Int64 = 15
    /// Per 10 kg of produce collected.
    public var collectionServiceSecondsPer10Kg: Int64 = 30
    /// Delivery window for home addresses (seconds after midnight).
    public var homeWindow: ClosedRange<Int64> = 8 * 3600...20 * 3600
    public var timeLimitSeconds = 30.0
    /// Search iterations; when set the plan is reproducible (same data and seed give
    /// the same plan) unless the time limit cuts the search short.
    public var iterations: Int?
    public var seed: UInt64 = 1
    /// Optional travel overrides: `from,to,metres,seconds` by location code
    /// (depot code, pickup point code, or `home:<order id>`).
    public var matrixFile: String?

    public init() {}
}
