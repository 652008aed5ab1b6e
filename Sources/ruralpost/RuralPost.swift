import ArgumentParser

/// The `ruralpost` command: the one executable for operators, planners and admins.
@main
struct RuralPost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ruralpost",
        abstract: "Rural e-commerce logistics: cloud warehouses, pickup points, routes.",
        subcommands: [
            ServeCommand.self,
            MigrateCommand.self,
            KeysCommand.self,
            ImportCommand.self,
            DemoCommand.self,
            RoadsCommand.self,
            InventoryCommand.self,
            PlanCommand.self,
            PickupsCommand.self,
            SolveCommand.self,
            SplitCommand.self,
        ]
    )
}
