import ArgumentParser
// PLACEHOLDER owned by the splitting work: replaced by the real `split` command.
struct SplitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "split")
    func run() async throws { throw ValidationError("split: not built yet") }
}
