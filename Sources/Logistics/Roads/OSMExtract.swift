import Foundation
import Persistence

/// Turns an OpenStreetMap extract (`.osm.pbf` or `.osm` XML, optionally `.bz2`/`.gz`)
/// into an OPL file of its drivable ways with node locations, using osmium-tool:
/// `osmium tags-filter` keeps the ways of the drivable road classes (and their nodes),
/// `osmium add-locations-to-ways` writes each way with its nodes' coordinates inline.
/// osmium reads both formats with one well-tested parser, so a corrupt or non-OSM
/// file fails here with osmium's own message, before anything touches the database.
public struct OSMExtract {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let input: String

    public init(input: String) {
        self.input = input
    }

    /// The osmium binary: on PATH or in /usr/bin.
    static func osmium() throws -> String {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/osmium") { return dir + "/osmium" }
        throw Failure(description: "osmium (osmium-tool) is not installed: `make` installs it, or: sudo apt-get install -y osmium-tool")
    }

    /// osmium's name for the input format, from the file name, or by looking at the first byte.
    func format() throws -> String {
        let name = input.lowercased()
        for suffix in [".osm.pbf", ".pbf"] where name.hasSuffix(suffix) { return "pbf" }
        for suffix in [".osm", ".xml"] where name.hasSuffix(suffix) { return "osm" }
        for suffix in [".osm.bz2", ".osm.gz"] where name.hasSuffix(suffix) { return String(suffix.dropFirst()) }
        guard let handle = FileHandle(forReadingAtPath: input) else { throw Failure(description: "cannot read \(input)") }
        defer { try? handle.close() }
        return handle.readData(ofLength: 1).first == UInt8(ascii: "<") ? "osm" : "pbf"
    }

    /// Writes the drivable ways of the extract to `output` (OPL) and returns the
    /// extract's SHA-256; `classes` are the road classes to keep.
    public func drivableWays(classes: [String], output: String, workDirectory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Failure(description: "\(input): no such file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else { throw Failure(description: "\(input): the file is empty") }
        let osmium = try Self.osmium()
        let format = try format()
        let filtered = workDirectory + "/drivable.osm.pbf"
        do {
            try Subprocess.run(osmium, ["tags-filter", "--no-progress", "-F", format, input,
                                        "w/highway=" + classes.sorted().joined(separator: ","),
                                        "-f", "pbf", "-o", filtered, "--overwrite"])
            try Subprocess.run(osmium, ["add-locations-to-ways", "--no-progress", "--ignore-missing-nodes", filtered,
                                        "-f", "opl", "-o", output, "--overwrite"])
        } catch let failure as Subprocess.Failure {
            throw Failure(description: "\(input) is not a readable OpenStreetMap extract: "
                + failure.description.replacingOccurrences(of: "osmium failed (exit 1): ", with: "")
                    .trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
