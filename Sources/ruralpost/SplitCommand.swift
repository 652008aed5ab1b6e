import ArgumentParser
import Foundation
import OrderSplitting
import RuralPostCore

/// `ruralpost split`: splits the orders of a JSON file over cloud warehouses at least
/// cost (format in docs/splitting.md). Thin: parses, delegates to `SplitEngine`, writes.
struct SplitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split orders over cloud warehouses at least cost (never oversells).")

    @Option(name: .long, help: "Input JSON: {tariff, policy, warehouses, skus, orders}.")
    var input: String

    @Option(name: .long, help: "sequential (orders in file order) or batch (the whole wave).")
    var mode: SplitMode = .sequential

    @Option(name: .long, help: "Output JSON file (default: standard output).")
    var out: String?

    @Option(name: .long, help: "Batch mode: wall-clock budget in seconds for the whole wave (the first pass always completes).")
    var timeLimit: Double = 20

    @Option(name: .long, help: "Batch mode: random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Sequential mode: split order by order through splitOne (the API's path) and write per-order latencies (JSON) here.",
        visibility: .hidden))
    var latencyOut: String?

    func run() async throws {
        let doc: SplitDocument
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: input))
            doc = try JSONDecoder().decode(SplitDocument.self, from: data)
        } catch let error as DecodingError {
            fail(Self.describe(error))
        } catch {
            fail("cannot read \(input): \(error.localizedDescription)")
        }
        let result: SplitResult
        do {
            let engine = try SplitEngine(tariff: doc.tariff, skus: doc.skus)
            let started = DispatchTime.now().uptimeNanoseconds
            switch mode {
            case .sequential where latencyOut != nil:
                result = try Self.timedSequential(engine, doc, latencyOut: latencyOut!)
            case .sequential:
                result = try engine.sequential(doc.orders, warehouses: doc.warehouses, policy: doc.policy)
            case .batch:
                var options = BatchOptions()
                options.timeLimitSeconds = timeLimit
                options.seed = seed
                result = try engine.batch(doc.orders, warehouses: doc.warehouses, policy: doc.policy, options: options)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            FileHandle.standardError.write(Data("split: \(doc.orders.count) orders, engine \(seconds) s\n".utf8))
        } catch let error as SplitInputError {
            fail("invalid input: \(error.field): \(error.message)")
        }
        let encoder = JSONEncoder()
        // Compact in files: pretty-printing 100,000 plans costs seconds.
        encoder.outputFormatting = out == nil ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        let data = try encoder.encode(result)
        if let out {
            try data.write(to: URL(fileURLWithPath: out))
            let inexact = result.orders.count - result.exactOrders
            FileHandle.standardError.write(Data((
                "split: \(result.orders.count) orders, total \(result.totalCostFen) fen, lower bound "
                + "\(result.lowerBoundFen) fen, \(inexact) not proven optimal -> \(out)\n").utf8))
        } else {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }

    /// Sequential mode one `splitOne` call per order (what the intake API does), with
    /// wall-clock and thread CPU time per call; same plans as `sequential`.
    static func timedSequential(_ engine: SplitEngine, _ doc: SplitDocument, latencyOut: String) throws -> SplitResult {
        var warehouses = doc.warehouses
        var index: [String: Int] = [:]
        for (i, w) in warehouses.enumerated() { index[w.id] = i }
        var plans: [SplitPlan] = []
        var wall: [Double] = []
        var cpu: [Double] = []
        for order in doc.orders {
            let c0 = threadCPUNanoseconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let plan = try engine.splitOne(order, warehouses: warehouses, policy: doc.policy)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let c1 = threadCPUNanoseconds()
            wall.append(Double(t1 - t0) / 1000)
            cpu.append(Double(c1 - c0) / 1000)
            for (w, items) in plan.shippedUnits {
                for (sku, n) in items { warehouses[index[w]!].stock[sku, default: 0] -= n }
            }
            plans.append(plan)
        }
        let report: [String: [Double]] = ["wallMicros": wall, "cpuMicros": cpu]
        try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: latencyOut))
        var remaining: [String: [String: Int64]] = [:]
        for w in warehouses { remaining[w.id] = w.stock.filter { $0.value > 0 } }
        return SplitResult(
            mode: .sequential, orders: plans, totalCostFen: plans.reduce(0) { $0 + $1.costFen },
            lowerBoundFen: plans.reduce(0) { $0 + $1.lowerBoundFen }, exactOrders: plans.filter(\.exact).count,
            remainingStock: remaining)
    }

    private static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }

    /// A decoding error as "field.path: problem".
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { RecordDecoding.path(keys, root: "(root)") }
        switch error {
        case .keyNotFound(let key, let ctx):
            return "invalid input: \(path(ctx.codingPath + [key])): missing"
        case .typeMismatch(let type, let ctx):
            return "invalid input: \(path(ctx.codingPath)): expected \(type)"
        case .valueNotFound(let type, let ctx):
            return "invalid input: \(path(ctx.codingPath)): expected \(type), found null"
        case .dataCorrupted(let ctx):
            return "invalid input: \(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "invalid input: \(error)"
        }
    }
}

extension SplitMode: ExpressibleByArgument {}
