import Foundation
import Testing

/// The layering is real: the source tree obeys it, and a forbidden import or a query in
/// the wrong layer, added to a copy of the tree, is caught.
@Suite struct LayerRulesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func theSourceTreeObeysTheLayers() throws {
        let violations = try LayerRules.violations(in: Self.sources)
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyTargetOfThePackageHasARule() throws {
        let targets = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).filter { !$0.hasPrefix(".") }
        #expect(Set(targets) == Set(LayerRules.allowed.keys))
    }

    /// Copies `Sources/` to a temporary folder, appends `line` to `file` there, and
    /// returns the violations of the copy.
    func violations(adding line: String, to file: String) throws -> [LayerRules.Violation] {
        let fm = FileManager.default
        let copy = fm.temporaryDirectory.appendingPathComponent("layers-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: copy) }
        try fm.copyItem(at: Self.sources, to: copy)
        let target = copy.appendingPathComponent(file)
        let text = try String(contentsOf: target, encoding: .utf8)
        try (line + "\n" + text).write(to: target, atomically: true, encoding: .utf8)
        return try LayerRules.violations(in: copy)
    }

    @Test(arguments: [
        ("import Hummingbird", "Logistics/Orders/OrderService.swift", "Logistics may not import Hummingbird"),
        ("import PostgresNIO", "Planning/RoutePlanner.swift", "Planning may not import PostgresNIO"),
        ("@preconcurrency import Persistence", "Planning/PlanProblem.swift", "Planning may not import Persistence"),
        ("import Logistics", "Routing/Search/Solve.swift", "Routing may not import Logistics"),
        ("import struct PostgresNIO.PostgresQuery", "API/JSONBody.swift", "API may not import PostgresNIO"),
        ("import Planning", "Logistics/Demo/DemoLoader.swift", "Logistics may not import Planning"),
    ])
    func aForbiddenImportFails(line: String, file: String, rule: String) throws {
        let found = try violations(adding: line, to: file)
        #expect(found.map(\.rule) == [rule])
        #expect(found.first?.file == file && found.first?.line == 1)
    }

    @Test func sqlOutsideTheStoresFails() throws {
        let found = try violations(adding: #"let q = "SELECT id FROM depots WHERE code = $1""#, to: "API/Controllers/RoutePlanController.swift")
        #expect(found.map(\.rule) == ["SQL belongs in Persistence or a Logistics store, not in API"])
        let multiLine = try violations(adding: "let q = \"\"\"\n    UPDATE route_plans SET status = 'failed'\n    \"\"\"", to: "Planning/RoutePlanner.swift")
        #expect(multiLine.count == 1)
    }

    /// Within Logistics a query beside a service's rules fails; the same query in a
    /// store's file passes.
    @Test func sqlInALogisticsServiceFails() throws {
        let query = #"let q = "SELECT id FROM orders WHERE merchant_id = $1""#
        let found = try violations(adding: query, to: "Logistics/Orders/OrderService.swift")
        #expect(found.map(\.rule) == ["SQL in Logistics belongs in a *Store type's file, not in Logistics/Orders/OrderService.swift"])
        #expect(found.first?.line == 1)
        let multiLine = try violations(adding: "let q = \"\"\"\n    UPDATE shipments SET status = 'collected'\n    \"\"\"",
                                     to: "Logistics/Orders/OrderQueries.swift")
        #expect(multiLine.count == 1)
        #expect(try violations(adding: query, to: "Logistics/Orders/OrderStore.swift").isEmpty)
    }

    /// The exemption list names files that exist and still hold SQL, so it cannot go stale.
    @Test func everyExemptFileStillHoldsSQL() throws {
        for (file, _) in LayerRules.notYetInStores {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            let target = String(file.prefix { $0 != "/" })
            let strict = LayerRules.check(file: "\(target)/Strict.swift", target: target, text: text, permitted: LayerRules.allowed[target] ?? [])
            #expect(!strict.isEmpty, "\(file) holds no SQL any more: take it off notYetInStores")
        }
    }

    @Test func proseIsNotSQL() {
        let text = "/// Select a van, then update the plan.\nlet s = \"select all\"\nlet t = \"Update the stock\""
        #expect(LayerRules.check(file: "API/X.swift", target: "API", text: text, permitted: []).isEmpty)
    }
}
