import Foundation

/// One OpenStreetMap way with the locations of its nodes, as
/// `osmium add-locations-to-ways -f opl` writes it.
public struct OSMWay: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public let id: Int64
        /// nil when the extract does not hold the node (a way cut at the extract's edge).
        public let lon: Double?
        public let lat: Double?
    }

    public let id: Int64
    public let tags: [String: String]
    public let nodes: [Node]
}

/// Reads the way lines of an OPL file (the "Object Per Line" text format of osmium):
/// `w<id> v.. dV ... T<key=value,...> N<n<id>x<lon>y<lat>,...>`. Other lines (nodes,
/// relations) are skipped. Streams the file in blocks, so a large extract is never
/// held whole in memory.
public struct OPLWayReader {
    public struct FormatError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "OPL line \(line): \(message)" }
    }

    let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` with every way in file order; `progress` with bytes read so far.
    public func forEachWay(progress: ((Int) -> Void)? = nil, _ body: (OSMWay) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FormatError(line: 0, message: "cannot open \(path)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        var bytesRead = 0
        while true {
            let block = handle.readData(ofLength: 1 << 20)
            bytesRead += block.count
            if block.isEmpty { break }
            pending.append(contentsOf: block)
            var start = 0
            while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                if pending[start] == UInt8(ascii: "w") {
                    try body(try Self.parseWay(pending[start..<end], line: lineNumber))
                }
                start = end + 1
            }
            pending.removeFirst(start)
            progress?(bytesRead)
        }
        if !pending.isEmpty {
            lineNumber += 1
            if pending[0] == UInt8(ascii: "w") { try body(try Self.parseWay(pending[...], line: lineNumber)) }
        }
    }

    /// Parses one `w...` line.
    static func parseWay(_ bytes: ArraySlice<UInt8>, line: Int) throws -> OSMWay {
        let text = String(decoding: bytes, as: UTF8.self)
        var id: Int64?
        var tags: [String: String] = [:]
        var nodes: [OSMWay.Node] = []
        for field in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let kind = field.first else { continue }
            let value = field.dropFirst()
            switch kind {
            case "w":
                id = Int64(value)
            case "T":
                for pair in value.split(separator: ",") {
                    guard let eq = pair.firstIndex(of: "=") else { continue }
                    tags[try unescape(pair[..<eq], line: line)] = try unescape(pair[pair.index(after: eq)...], line: line)
                }
            case "N":
                for ref in value.split(separator: ",") {
                    nodes.append(try parseNode(ref, line: line))
                }
            default:
                continue
            }
        }
        guard let id else { throw FormatError(line: line, message: "way without an id") }
        return OSMWay(id: id, tags: tags, nodes: nodes)
    }

    /// `n<id>x<lon>y<lat>`; `n<id>x y` (or without x/y) when the location is missing.
    static func parseNode(_ ref: Substring, line: Int) throws -> OSMWay.Node {
        guard ref.first == "n" else { throw FormatError(line: line, message: "bad node reference \(ref)") }
        let body = ref.dropFirst()
        let xIndex = body.firstIndex(of: "x")
        guard let id = Int64(body[..<(xIndex ?? body.endIndex)]) else {
            throw FormatError(line: line, message: "bad node reference \(ref)")
        }
        guard let xIndex, let yIndex = body.firstIndex(of: "y") else { return .init(id: id, lon: nil, lat: nil) }
        let lon = Double(body[body.index(after: xIndex)..<yIndex])
        let lat = Double(body[body.index(after: yIndex)...])
        guard let lon, let lat, lon.isFinite, lat.isFinite, abs(lon) <= 180, abs(lat) <= 90 else {
            return .init(id: id, lon: nil, lat: nil)
        }
        return .init(id: id, lon: lon, lat: lat)
    }

    /// OPL escapes `%`, `,`, `=`, spaces and other special characters as `%<hex code point>%`.
    static func unescape(_ text: Substring, line: Int) throws -> String {
        guard text.contains("%") else { return String(text) }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if ch == "%" {
                let hexStart = text.index(after: i)
                guard let close = text[hexStart...].firstIndex(of: "%"),
                      let code = UInt32(text[hexStart..<close], radix: 16), let scalar = Unicode.Scalar(code)
                else { throw FormatError(line: line, message: "bad escape in \(text)") }
                out.unicodeScalars.append(scalar)
                i = text.index(after: close)
            } else {
                out.append(ch)
                i = text.index(after: i)
            }
        }
        return out
    }
}
