import Foundation

/// What each target of `Sources/` may import, and where SQL may be written: the layering
/// of docs/architecture.md as data, checked over the source files themselves.
struct LayerRules {
    /// Modules of the toolchain every target may import.
    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"]

    /// Per target, the modules it may import besides `system`.
    static let allowed: [String: Set<String>] = [
        "RuralPostCore": [],
        "Routing": [],
        "OrderSplitting": ["RuralPostCore"],
        "Persistence": ["RuralPostCore", "PostgresNIO", "NIOCore", "Logging", "Crypto"],
        "Logistics": ["RuralPostCore", "OrderSplitting", "Persistence", "PostgresNIO", "NIOCore", "Logging", "Crypto"],
        "Planning": ["RuralPostCore", "Routing", "Logistics", "Logging"],
        "API": [
            "RuralPostCore", "Persistence", "Logistics", "Planning", "Routing", "Hummingbird", "HTTPTypes", "NIOCore",
            "Metrics", "Prometheus", "ServiceLifecycle", "Logging", "AsyncHTTPClient",
        ],
        // The solver's own command, without NIO or Postgres so it builds in a minute.
        "SolveCLI": ["Routing", "ArgumentParser"],
        "ruralpost-solve": ["SolveCLI"],
        "ruralpost": [
            "RuralPostCore", "Routing", "OrderSplitting", "Persistence", "Logistics", "Planning", "API", "ArgumentParser",
            "Logging", "SolveCLI",
        ],
    ]

    /// Targets whose files may all hold SQL: the database plumbing.
    static let sqlTargets: Set<String> = ["Persistence"]

    /// Targets where SQL may live only in store files (`*Store*.swift`: a type that owns a
    /// table family and holds its SQL and row decoding); services beside them keep the rules.
    static let storeTargets: Set<String> = ["Logistics"]

    /// Files of a store target that still run SQL beside their rules, each with why. The
    /// list only shrinks; a file not on it that adds SQL fails.
    static let notYetInStores: [String: String] = [
        "Logistics/Demo/DemoIntake.swift": "moveToDepot is the demo's at_depot path, being reworked for line-haul arrivals (multi-trip planning)",
        "Logistics/Orders/ShipmentLifecycle.swift": "being reworked for line-haul arrivals at depots (multi-trip planning); a ShipmentStore after",
        "Logistics/Pickups/ShipmentLifecycle+Return.swift": "moves with ShipmentLifecycle",
        "Logistics/Import/ImportKind.swift": "each kind's validation and upsert SQL; vehicles gain multi-trip columns now, an ImportStore after",
        "Logistics/Import/CSVImporter.swift": "stages the file for ImportKind's SQL; moves with it",
    ]

    /// Whether `file` (`Target/path/Name.swift`) is a store file.
    static func isStoreFile(_ file: String) -> Bool {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return name.contains("Store") && name.hasSuffix(".swift")
    }

    /// Whether SQL may appear in `file` of `target`.
    static func mayHoldSQL(file: String, target: String) -> Bool {
        sqlTargets.contains(target) || (storeTargets.contains(target) && (isStoreFile(file) || notYetInStores[file] != nil))
    }

    /// A broken rule, with the file and line.
    struct Violation: CustomStringConvertible, Equatable {
        let file: String
        let line: Int
        let rule: String
        var description: String { "\(file):\(line): \(rule)" }
    }

    /// Statements that only SQL starts with, as they appear at the start of a string
    /// literal or a line of a multi-line literal.
    static let sqlStatement = try! NSRegularExpression(
        pattern: #"(^\s*|"\s*)(SELECT\s+[\w*(]|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|FUNCTION)\s|WITH\s+\w+\s+AS\s*\()"#
    )

    /// Every violation under `sources` (a `Sources/` folder).
    static func violations(in sources: URL) throws -> [Violation] {
        let fm = FileManager.default
        var found: [Violation] = []
        let targets = try fm.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }.sorted()
        for target in targets {
            guard let permitted = allowed[target] else {
                found.append(Violation(file: target, line: 0, rule: "target \(target) has no layer rule; add it to LayerRules"))
                continue
            }
            let root = sources.appendingPathComponent(target)
            guard let walker = fm.enumerator(atPath: root.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".swift") {
                let file = "\(target)/\(relative)"
                let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
                found += check(file: file, target: target, text: text, permitted: permitted)
            }
        }
        return found
    }

    static func check(file: String, target: String, text: String, permitted: Set<String>) -> [Violation] {
        var found: [Violation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let module = importedModule(trimmed), !system.contains(module), !permitted.contains(module) {
                found.append(Violation(file: file, line: index + 1, rule: "\(target) may not import \(module)"))
            }
            if !mayHoldSQL(file: file, target: target), !trimmed.hasPrefix("//") {
                let range = NSRange(line.startIndex..., in: line)
                if sqlStatement.firstMatch(in: String(line), range: range) != nil {
                    let rule = storeTargets.contains(target)
                        ? "SQL in \(target) belongs in a *Store type's file, not in \(file)"
                        : "SQL belongs in Persistence or a Logistics store, not in \(target)"
                    found.append(Violation(file: file, line: index + 1, rule: rule))
                }
            }
        }
        return found
    }

    /// `Foo` of `import Foo`, `@testable import Foo`, `import struct Foo.Bar`, `@preconcurrency import Foo`.
    static func importedModule(_ line: String) -> String? {
        var words = line.split(separator: " ").map(String.init)
        while let first = words.first, first.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains(first) {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
        let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        return path.split(separator: ".").first.map(String.init)
    }
}
