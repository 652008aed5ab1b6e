import Foundation
import Hummingbird
import Logging
import Logistics
import Metrics
import Persistence
import Planning
import Prometheus
import RuralPostCore
import ServiceLifecycle

/// Settings of the HTTP server.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    /// Apply pending migrations before accepting requests.
    public var migrateOnStart: Bool
    /// Pickup-code lockout and rate limits.
    public var pickups = PickupPolicy()
    /// Webhook delivery and pickup maintenance in the background.
    public var workers = WorkerSettings()
    /// PostgreSQL connections in the pool. Requests beyond it wait for a connection in
    /// the service, first come first served: a few busy backends per core get more done,
    /// with a steadier latency, than dozens fighting over two cores and the same rows.
    public var databaseConnections = AppConfig.defaultDatabaseConnections
    /// API requests waiting for one of the `databaseConnections` request slots beyond
    /// which a request is turned away at once with `503 overloaded`; nil: 1,024.
    public var requestQueueLimit: Int?
    /// The longest an API request waits for a slot before `503 overloaded`.
    public var requestQueueWait: Duration = .seconds(10)

    /// Four per core, at least eight (background workers hold some).
    public static let defaultDatabaseConnections = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)

    public init(host: String = "127.0.0.1", port: Int = 8080, migrateOnStart: Bool = true) {
        self.host = host
        self.port = port
        self.migrateOnStart = migrateOnStart
    }
}

/// The application plus the table of routes it serves.
public struct BuiltApplication: Sendable {
    public let application: Application<RouterResponder<AppContext>>
    public let routes: [RouteTable.Route]
}

/// Prometheus registry, bootstrapped into swift-metrics once per process.
public enum MetricsBootstrap {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// Builds the HTTP application used by `serve` and by the tests alike. The
/// PostgreSQL pool runs as one of its services; migrations run before it listens.
public func buildApplication(
    settings: DatabaseSettings, config: AppConfig, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> BuiltApplication {
    var pgConfiguration = settings.configuration
    pgConfiguration.options.maximumConnections = config.databaseConnections
    let pool = DatabasePool(configuration: pgConfiguration, logger: logger)
    let database = Database(pool: pool, logger: logger)
    let registry = MetricsBootstrap.registry
    DatabaseMetrics.observe(pool)

    let router = Router(context: AppContext.self)
    let paths = PathMethods()
    // Metrics outside the error middleware: they count the status the client got (a
    // refused request's 4xx), not 500 for every error a handler throws.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    // The counter and plan-review screens (Sources/API/Public/app), read once at start.
    router.add(middleware: StaticFilesMiddleware(files: StaticFiles.fromProject(logger: logger)))
    router.add(middleware: MethodNotAllowedMiddleware(paths: paths))
    router.add(middleware: QueryCheckMiddleware())
    let gate = AdmissionGate(capacity: config.databaseConnections, queueLimit: config.requestQueueLimit ?? 1024,
                             maxWait: config.requestQueueWait)
    let routes = RouteTable(router: router, paths: paths, gate: gate,
                            auth: AuthMiddleware(keys: APIKeyCache(store: APIKeyStore(database: database))), pool: pool)

    let openAPI = try Data(contentsOf: ProjectFiles.directory("docs").appendingPathComponent("openapi.yaml"))
    SystemController(database: database, registry: registry, openAPIDocument: openAPI).register(routes)
    MasterDataController(store: MasterDataStore<Warehouse>(database: database), path: "warehouses").register(routes)
    InventoryController(store: InventoryStore(database: database)).register(routes)
    MasterDataController(store: MasterDataStore<Merchant>(database: database), path: "merchants").register(routes)
    MasterDataController(store: MasterDataStore<SKU>(database: database), path: "skus").register(routes)
    MasterDataController(store: MasterDataStore<Depot>(database: database), path: "depots").register(routes)
    MasterDataController(store: MasterDataStore<Vehicle>(database: database), path: "vehicles").register(routes)
    MasterDataController(store: MasterDataStore<ServiceCentre>(database: database), path: "service-centres").register(routes)
    MasterDataController(store: MasterDataStore<PickupPoint>(database: database), path: "pickup-points").register(routes)
    TariffController(store: TariffStore(database: database)).register(routes)
    OrderController(service: OrderService(database: database), queries: OrderQueries(database: database),
                    lifecycle: ShipmentLifecycle(database: database),
                    batchConcurrency: max(1, config.databaseConnections / 2)).register(routes)
    let pickupSecrets = PickupSecrets(database: database)
    let pickups = PickupService(database: database, secrets: pickupSecrets, policy: config.pickups)
    let outbox = NotificationOutbox(database: database, secrets: pickupSecrets)
    PickupController(service: pickups, queries: PickupQueries(database: database)).register(routes)
    CollectionController(service: CollectionService(database: database)).register(routes)
    NotificationController(outbox: outbox).register(routes)
    let plans = RoutePlanStore(database: database)
    RoutePlanController(store: plans).register(routes)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "ruralpost"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
        logger: logger
    )
    app.addServices(DatabasePoolService(pool: pool))
    let migrations = MigrationGate(open: !config.migrateOnStart)
    var workers: [any Service] = []
    if config.workers.deliveryEnabled {
        workers.append(NotificationDeliveryService(outbox: outbox, settings: config.workers, logger: logger))
    }
    if config.workers.maintenanceEnabled {
        workers.append(PickupMaintenanceService(pickups: pickups, keys: APIKeyStore(database: database),
                                                interval: config.workers.maintenanceInterval, logger: logger))
    }
    if config.workers.planningEnabled {
        workers.append(PlanWorkerService(planner: RoutePlanner(plans: plans), name: "server:\(getpid())",
                                         interval: config.workers.planningInterval, logger: logger))
    }
    for worker in workers { app.addServices(AfterMigrations(gate: migrations, worker: worker)) }
    if config.migrateOnStart {
        app.beforeServerStarts {
            try await MigrationRunner(database: database).migrate()
            migrations.open()
        }
    }
    return BuiltApplication(application: app, routes: routes.routes)
}
