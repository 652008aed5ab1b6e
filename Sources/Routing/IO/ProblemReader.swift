import Foundation

/// Reads VRPLIB/CVRPLIB, Solomon and RuralPost JSON problems, detecting the format from
/// the content rather than the file name.
public enum ProblemReader {
    /// Reads and parses a file; throws `ProblemError.parse` with a readable message.
    /// `rounding` converts VRPLIB values to integers as PyVRP's `read(round_func=)` does;
    /// Solomon and JSON files have their own fixed conventions and ignore it.
    public static func read(path: String, rounding: Rounding = .round) throws -> LoadedProblem {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ProblemError.parse("cannot read \(path)")
        }
        guard let text = String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: .isoLatin1) else {
            throw ProblemError.parse("\(path) is not text")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text, name: base, rounding: rounding)
    }

    /// Parses file content; `name` is used when the file does not name the instance.
    public static func parse(_ text: String, name: String, rounding: Rounding = .round) throws -> LoadedProblem {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return try JSONProblem.parse(trimmed, name: name) }
        if text.contains("NODE_COORD_SECTION") || text.contains("EDGE_WEIGHT_SECTION") {
            return try VRPLIBReader.parse(text, name: name, rounding: rounding)
        }
        if text.contains("NUMBER") && text.contains("CAPACITY") { return try SolomonReader.parse(text, name: name) }
        throw ProblemError.parse("unrecognised problem format (expected VRPLIB, Solomon or JSON)")
    }
}
