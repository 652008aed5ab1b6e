import Foundation
import Testing

/// Tests that measure the server under a load of their own (an outage under intake load,
/// 500 clients against a small pool, ten thousand code guesses, the database monitor's
/// timings) give real answers only when the rest of the suite is not competing for the
/// same two cores; alone they take seconds. `make test` runs them in a first, solo pass with `RURALPOST_SOLO=1`, one after
/// another (`--no-parallel`: together they would measure each other); the main
/// parallel pass skips them. By hand: `RURALPOST_SOLO=1 swift test --filter DatabaseOutageTests`.
enum SoloRun {
    static let enabled = ProcessInfo.processInfo.environment["RURALPOST_SOLO"] == "1"
    static let trait = ConditionTrait.enabled(if: enabled, "runs in make test's solo pass (RURALPOST_SOLO=1)")
}
