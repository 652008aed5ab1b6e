import Foundation
import RuralPostCore

/// Finds the project's data folders (`sql/`, `docs/`) at run time.
///
/// Order: `RURALPOST_HOME` (a folder holding sql/ and docs/, as in the Docker image),
/// the current directory, the folders above the executable (a `swift build` tree), and
/// finally the source tree this binary was compiled from.
public enum ProjectFiles {
    public static func directory(_ name: String) throws -> URL {
        let fm = FileManager.default
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["RURALPOST_HOME"] {
            roots.append(URL(fileURLWithPath: home))
        }
        roots.append(URL(fileURLWithPath: fm.currentDirectoryPath))
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(exe)
            exe.deleteLastPathComponent()
        }
        // Sources/Storage/ProjectFiles.swift -> repository root.
        roots.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        for root in roots {
            let candidate = root.appendingPathComponent(name)
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue,
               name != "sql" || fm.fileExists(atPath: candidate.appendingPathComponent("0001_domain.sql").path)
            {
                return candidate
            }
        }
        throw DomainError.internalError("cannot find the project's \(name)/ folder; set RURALPOST_HOME to the folder holding it")
    }
}
