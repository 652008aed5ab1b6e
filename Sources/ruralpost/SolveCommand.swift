import SolveCLI

/// `ruralpost solve`: the command lives in `SolveCLI` so that the solver-only executable
/// `ruralpost-solve` runs the very same code without linking NIO or Postgres.
typealias SolveCommand = SolveCLI.SolveCommand
