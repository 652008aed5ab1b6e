import ArgumentParser
// PLACEHOLDER owned by the routing work: replaced by the real `solve` command.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "solve")
    func run() async throws { throw ValidationError("solve: not built yet") }
}
