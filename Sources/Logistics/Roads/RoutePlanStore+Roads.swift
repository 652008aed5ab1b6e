extension RoutePlanStore {
    /// The road network plans are computed on, in the same database.
    public var roads: RoadNetworkStore { RoadNetworkStore(database: database) }
}
