import Foundation
import Logging
import RuralPostCore

/// A local PostgreSQL cluster the process creates and starts itself when no
/// `DATABASE_URL` is given: `initdb` once, then `pg_ctl start` on a free loopback
/// port, `pg_ctl stop` on exit.
///
/// PostgreSQL refuses to run as root. When this process is root, the server
/// binaries run as the `postgres` user (`runuser -u postgres --`) on a data
/// directory that user owns; an ordinary user runs them directly.
public final class EmbeddedPostgres: @unchecked Sendable {
    public let dataDirectory: URL
    public private(set) var port: Int = 0
    /// Superuser created by `initdb`; the cluster trusts loopback connections.
    public let username = "ruralpost"
    /// The server's `max_connections` when this process starts it: 200 serves one
    /// `ruralpost serve` and its tools; the test suite, with sixty servers of its own in
    /// parallel, asks for more (a refused connection would look like an outage).
    public var maxConnections = 200
    /// Whether this process started the server (and so must stop it).
    public private(set) var ownsServer = false
    private let binaries: URL
    private let logger: Logger

    /// Errors that stop the launcher, worded for the person at the terminal.
    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(dataDirectory: URL, logger: Logger) throws {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.binaries = try Self.findBinaries()
        self.logger = logger
    }

    /// Finds `initdb` and `pg_ctl`: first in /usr/lib/postgresql/<newest>/bin, then on PATH.
    static func findBinaries() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                candidates.append(URL(fileURLWithPath: "/usr/lib/postgresql/\(v)/bin"))
            }
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(dir)))
        }
        for dir in candidates where fm.isExecutableFile(atPath: dir.appendingPathComponent("initdb").path)
            && fm.isExecutableFile(atPath: dir.appendingPathComponent("pg_ctl").path)
        {
            return dir.resolvingSymlinksInPath()
        }
        throw LaunchError(description: """
            PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin.
            Install them with:  sudo apt-get install -y postgresql   (Debian/Ubuntu)
            or set DATABASE_URL=postgres://user:pass@host:5432/db to use an existing server.
            """)
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Creates the cluster if needed and starts it, or attaches to a server already
    /// running on this data directory (another `ruralpost` process started it).
    /// `preferredPort` is tried first (starting a stopped cluster again where its clients
    /// expect it); otherwise, or when it is taken, a free port.
    public func start(preferredPort: Int? = nil) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dataDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
        if Self.isRoot {
            // The postgres user must be able to reach and own its data directory.
            try fm.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            try run("/bin/chown", ["postgres:postgres", dataDirectory.path], asPostgres: false)
            try makeTraversable(dataDirectory.deletingLastPathComponent())
        }
        if !fm.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            logger.info("creating local PostgreSQL cluster", metadata: ["dir": "\(dataDirectory.path)"])
            try run(binaries.appendingPathComponent("initdb").path, [
                "-D", dataDirectory.path, "-U", username, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
            ])
        }
        if let running = runningPort() {
            port = running
            ownsServer = false
            logger.info("attached to running local PostgreSQL", metadata: ["port": "\(port)"])
            return
        }
        var lastError: (any Error)?
        // The preferred port gets three tries a moment apart (a server that has just
        // stopped may still hold it); then any free port, five times.
        let preferredTries = preferredPort == nil ? 0 : 3
        for attempt in 0..<(preferredTries + 5) {
            if attempt > 0, attempt < preferredTries { Thread.sleep(forTimeInterval: 0.5) }
            port = try (attempt < preferredTries ? preferredPort : nil) ?? Self.freePort()
            let options = [
                "-c listen_addresses=127.0.0.1", "-p \(port)", "-c unix_socket_directories=''",
                "-c max_connections=\(maxConnections)", "-c fsync=on", "-c shared_buffers=256MB",
            ].joined(separator: " ")
            do {
                try run(binaries.appendingPathComponent("pg_ctl").path, [
                    "-D", dataDirectory.path, "-l", dataDirectory.appendingPathComponent("server.log").path,
                    "-o", options, "-w", "-t", "60", "start",
                ])
                ownsServer = true
                logger.info("started local PostgreSQL", metadata: ["port": "\(port)", "dir": "\(dataDirectory.path)"])
                return
            } catch {
                lastError = error  // most likely the port was taken between probe and bind
            }
        }
        throw lastError ?? LaunchError(description: "could not start PostgreSQL")
    }

    /// Stops the server if this process started it. Safe to call more than once.
    public func stop() {
        guard ownsServer else { return }
        ownsServer = false
        let pgCtl = binaries.appendingPathComponent("pg_ctl").path
        // A fast shutdown ends client sessions and waits (at most 30 s) for the server to
        // go; one that does not finish in time is stopped immediately (crash recovery
        // on the next start), so that stop() always returns with the server gone.
        do {
            try run(pgCtl, ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "30", "stop"])
        } catch {
            guard runningPort() != nil else { return }  // it was not running (any more)
            logger.warning("PostgreSQL did not stop in time; stopping it immediately", metadata: ["error": "\(error)"])
            try? run(pgCtl, ["-D", dataDirectory.path, "-m", "immediate", "-w", "-t", "30", "stop"])
        }
    }

    /// The port of a live server on this data directory, from its postmaster.pid.
    private func runningPort() -> Int? {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 3, let pid = Int32(lines[0]), let port = Int(lines[3]) else { return nil }
        // kill(pid, 0) probes existence; EPERM also means alive (owned by postgres).
        return kill(pid, 0) == 0 || errno == EPERM ? port : nil
    }

    private func makeTraversable(_ directory: URL) throws {
        var dir = directory
        while dir.path != "/" {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
            if mode & 0o001 == 0 {
                try FileManager.default.setAttributes([.posixPermissions: mode | 0o711], ofItemAtPath: dir.path)
            }
            dir.deleteLastPathComponent()
        }
    }

    /// A loopback TCP port that was free a moment ago.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LaunchError(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw LaunchError(description: "could not find a free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private func run(_ tool: String, _ arguments: [String], asPostgres: Bool = true) throws {
        do {
            if asPostgres && Self.isRoot {
                try Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
            } else {
                try Subprocess.run(tool, arguments)
            }
        } catch let failure as Subprocess.Failure {
            throw LaunchError(description: failure.description)
        }
    }
}
