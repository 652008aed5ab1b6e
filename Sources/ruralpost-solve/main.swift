import SolveCLI

// `ruralpost-solve FILE ...` is `ruralpost solve FILE ...` without the service's
// dependencies (fast release builds for the solver benchmark). Parsed and run by hand:
// top-level `await SolveCommand.main()` picks the synchronous `main`, which only prints help.
do {
    var command = try SolveCommand.parseAsRoot()
    if var solve = command as? SolveCommand {
        try await solve.solveFile()
    } else {
        try command.run()
    }
} catch {
    SolveCommand.exit(withError: error)
}
