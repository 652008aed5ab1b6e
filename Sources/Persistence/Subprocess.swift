import Foundation
import RuralPostCore

/// Runs a program to completion with `posix_spawn` + `waitpid`, output to a file.
///
/// Not Foundation's `Process`: its `waitUntilExit` can hang when called from a
/// Swift concurrency thread on Linux, and a pipe would be held open by daemons the
/// program starts (the postmaster started by `pg_ctl start`).
public enum Subprocess {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` in the background with output appended to `outputPath`;
    /// returns its pid (reap it with `waitpid`).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        redirect(&actions, outputPath: outputPath, mode: O_APPEND)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Runs `executable` with `arguments` from `/`; returns its combined output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("ruralpost-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        redirect(&actions, outputPath: outputPath, mode: O_TRUNC)
        // Start in / (through sh) so a program running as another user can read its
        // working directory.
        let argv = (["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"", executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand (macros are not imported into Swift).
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Failure(description: "\((executable as NSString).lastPathComponent) failed (\(exited ? "exit \(code)" : "signal \(status & 0x7f)")): \(output)")
        }
        return output
    }

    /// Standard input from /dev/null; standard output and error to `outputPath`, appended
    /// to (`O_APPEND`) or started afresh (`O_TRUNC`).
    private static func redirect(_ actions: inout posix_spawn_file_actions_t, outputPath: String, mode: Int32) {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | mode, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
}
