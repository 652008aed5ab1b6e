import Metrics
import ServiceLifecycle
import Persistence

/// Runs the database pool and its monitor as a service of the server; it stops after
/// the HTTP server on a graceful shutdown.
struct DatabasePoolService: Service {
    let pool: DatabasePool

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pool.run()
        }
    }
}

/// What the pool's monitor finds, as metrics: `ruralpost_database_up` (1 reachable, 0
/// not) and `ruralpost_database_outages_total`.
enum DatabaseMetrics {
    static func observe(_ pool: DatabasePool) {
        let up = Gauge(label: "ruralpost_database_up")
        let outages = Counter(label: "ruralpost_database_outages_total")
        up.record(1)
        pool.onAvailabilityChange { available in
            up.record(available ? 1 : 0)
            if !available { outages.increment() }
        }
    }
}
