import ArgumentParser
import Dispatch
import Foundation
import Routing

extension Rounding: ExpressibleByArgument {}
extension SolverOptions.Algorithm: ExpressibleByArgument {}

/// `ruralpost solve FILE --time-limit SECONDS [--seed N] [--threads N] [--round R] [--out FILE.sol] [--json]`
/// (also the whole of `ruralpost-solve`)
///
/// Thin command: reads the problem (format detected from the content), runs the
/// `Routing` solver and writes the solution. Ctrl-C stops the search early and still
/// prints the best solution found.
public struct SolveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a vehicle-routing problem (VRPLIB/CVRPLIB, Solomon or RuralPost JSON).")

    @Argument(help: "Problem file: VRPLIB (.vrp), Solomon (.txt) or RuralPost JSON (see docs/solver.md).")
    var file: String

    @Option(name: .long, help: "Wall-clock budget of the search in seconds.")
    var timeLimit: Double

    @Option(name: .long, help: "Random seed; the same file and seed give the same search.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Independent parallel searches (best result wins).")
    var threads: Int = 1

    @Option(name: .long, help: "Also stop after this many iterations (deterministic runs).")
    var iterations: Int?

    @Option(name: .long, help: "Write the solution in VRPLIB form (Route #k: ... / Cost ...).")
    var out: String?

    @Flag(name: .long, help: "Print the solution as JSON (routes, trips, schedules, unassigned clients) on stdout.")
    var json = false

    @Option(name: .long, help: "VRPLIB values to integers as PyVRP's read(round_func=): round, trunc, dimacs (x10, truncate), exact (x1000, round) or none.")
    var round: Rounding = .round

    @Option(name: .long, help: "Search method: ils (iterated local search, default) or hgs (hybrid genetic search).")
    var algorithm: SolverOptions.Algorithm = .iteratedLocalSearch

    public init() {}

    public func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    public func run() async throws { try await solveFile() }

    /// The command's work (named apart from `run` so that callers cannot pick the
    /// synchronous `ParsableCommand.run`, which only prints help).
    public func solveFile() async throws {
        let problem: LoadedProblem
        do {
            problem = try ProblemReader.read(path: file, rounding: round)
        } catch {
            FileHandle.standardError.write(Data("error: \(file): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let token = CancellationToken()
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { token.cancel() }
        sigint.resume()
        defer { sigint.cancel() }

        var options = SolverOptions()
        options.threads = threads
        options.algorithm = algorithm
        // Leave a little of the budget for building the instance and the final repair.
        let budget = max(0.05, timeLimit - 0.05)
        let stop = MaxRuntime(seconds: budget).or(Cancellation(token)).or(MaxIterations(iterations ?? Int.max))
        let solution = solve(problem.data, stop: stop, seed: seed, options: options)

        if let out {
            do {
                try SolutionWriter.vrplib(solution, problem: problem).write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("error: cannot write \(out): \(error)\n".utf8))
                throw ExitCode(3)
            }
        }
        if json {
            print(SolutionWriter.json(solution, problem: problem))
        } else {
            let cost = problem.reportedCost(solution)
            let costText = problem.format == .solomon ? String(format: "%.2f", cost) : String(Int64(cost.rounded()))
            print(
                "\(problem.name): cost \(costText), \(solution.routes.count) routes, "
                    + "\(solution.unassigned.count) unassigned, feasible \(solution.isFeasible), "
                    + "complete \(solution.isComplete), \(solution.iterations) iterations in "
                    + String(format: "%.2f s", solution.runtime))
            for u in solution.unassigned where u.required {
                print("  unassigned client \(problem.clientLabels[u.client]): \(u.reason.rawValue)")
            }
        }
    }
}
