import Foundation

/// A URL notifications may be POSTed to: `http` or `https` (lower case), a host name, an
/// optional port and an optional path, query and fragment, all in RFC 3986 characters.
///
/// The rules are the `WebhookUrl` pattern of docs/openapi.yaml, checked here by hand so
/// that each refusal can say what is wrong, then confirmed with Foundation's URL parser:
/// - host: dot-separated labels of letters, digits and hyphens, 1 to 63 characters, not
///   starting or ending with a hyphen (an internationalised name goes in its IDNA `xn--`
///   form; IP addresses in dotted form fit the same rule); no user name or password;
/// - port: 1 to 65535, without leading zeros;
/// - path, query, fragment: unreserved and sub-delimiter characters, `:` and `@` (and `/`
///   and `?` in query and fragment), anything else percent-encoded;
/// - at most 2,000 characters; never a space, a control or a non-ASCII character.
public enum WebhookURL {
    public static let maxLength = 2000

    /// Why `text` is not an acceptable webhook URL, or nil when it is.
    public static func problem(_ text: String) -> String? {
        guard text.utf8.count <= maxLength else { return "must be at most \(maxLength) characters" }
        guard text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            return "must not contain spaces, control or non-ASCII characters (write an international host name in its IDNA xn-- form and percent-encode the rest)"
        }
        let bytes = Array(text.utf8)
        var i: Int
        if text.hasPrefix("https://") {
            i = 8
        } else if text.hasPrefix("http://") {
            i = 7
        } else {
            return "must start with http:// or https://"
        }
        // Host: labels until ':', '/', '?', '#' or the end.
        let hostStart = i
        while i < bytes.count, !":/?#".utf8.contains(bytes[i]) { i += 1 }
        let host = String(decoding: bytes[hostStart..<i], as: UTF8.self)
        if host.contains("@") { return "must not contain a user name or password" }
        if let problem = hostProblem(host) { return problem }
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            let portStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            let digits = bytes[portStart..<i]
            guard !digits.isEmpty, digits.count <= 5, digits.first != UInt8(ascii: "0"),
                  let port = Int(String(decoding: digits, as: UTF8.self)), port <= 65535
            else { return "port must be a number from 1 to 65535" }
        }
        // Path, then query, then fragment.
        while i < bytes.count, bytes[i] == UInt8(ascii: "/") {
            i += 1
            guard let next = scan(bytes, from: i, extra: "") else { return "path has a character that must be percent-encoded" }
            i = next
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "?") {
            guard let next = scan(bytes, from: i + 1, extra: "/?") else { return "query has a character that must be percent-encoded" }
            i = next
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "#") {
            guard let next = scan(bytes, from: i + 1, extra: "/?") else { return "fragment has a character that must be percent-encoded" }
            i = next
        }
        guard i == bytes.count else { return "is not a URL (unexpected '\(Character(UnicodeScalar(bytes[i])))')" }
        // The same string through a real URL parser: it must agree on scheme and host.
        guard let components = URLComponents(string: text), components.scheme == String(text.prefix(hostStart - 3)),
              components.host?.lowercased() == host.lowercased()
        else { return "is not a URL" }
        return nil
    }

    private static func hostProblem(_ host: String) -> String? {
        guard !host.isEmpty else { return "must name a host" }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            let ok = (1...63).contains(label.utf8.count)
                && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
                && label.utf8.first != UInt8(ascii: "-") && label.utf8.last != UInt8(ascii: "-")
            if !ok {
                return "host must be dot-separated labels of letters, digits and hyphens (an international name in its IDNA xn-- form)"
            }
        }
        return nil
    }

    /// Skips pchars (plus `extra`) from `start`; returns where they end, or nil on a
    /// character that is not allowed there (a bad percent escape included).
    private static func scan(_ bytes: [UInt8], from start: Int, extra: String) -> Int? {
        let allowed = Set("-._~!$&'()*+,;=:@".utf8).union(extra.utf8)
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if isAlphanumeric(byte) || allowed.contains(byte) {
                i += 1
            } else if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return nil }
                i += 3
            } else if "/?#".utf8.contains(byte) {
                return i
            } else {
                return nil
            }
        }
        return i
    }

    private static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b) }
}
