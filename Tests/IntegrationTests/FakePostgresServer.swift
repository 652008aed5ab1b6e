import Foundation

/// A loopback TCP server that speaks just enough of PostgreSQL's protocol to be a
/// database that is there but does not serve: it accepts connections and then either
/// says nothing (`silent`: a hung server, a partition that lets the handshake through)
/// or refuses each with the error a full server sends (`full`: SQLSTATE 53300, "sorry,
/// too many clients already"). Written from the protocol documentation, not from the
/// code under test. Runs on a thread of its own until `stop()`.
final class FakePostgresServer: @unchecked Sendable {
    enum Behaviour { case silent, full }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false
    private(set) var connections = 0

    init(_ behaviour: Behaviour) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound, listen(listener, 64) == 0 else {
            close(listener)
            throw CocoaError(.fileWriteUnknown)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop(behaviour) }
        thread.start()
    }

    /// Closes the listener and every connection.
    func stop() {
        let open: [Int32] = lock.withLock {
            stopped = true
            defer { accepted = [] }
            return accepted
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        open.forEach { close($0) }
    }

    private func acceptLoop(_ behaviour: Behaviour) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let keep: Bool = lock.withLock {
                connections += 1
                if !stopped { accepted.append(client) }
                return !stopped
            }
            guard keep else {
                close(client)
                return
            }
            if behaviour == .full { refuseAsFull(client) }
        }
    }

    /// Reads the startup message, then sends an ErrorResponse ('E', length, fields
    /// severity S, code C, message M, each a C string, then a terminating zero) and
    /// closes, as a server at `max_connections` does.
    private func refuseAsFull(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1024)
        _ = read(client, &buffer, buffer.count)
        var fields: [UInt8] = []
        for (type, value) in [("S", "FATAL"), ("V", "FATAL"), ("C", "53300"), ("M", "sorry, too many clients already")] {
            fields += Array(type.utf8) + Array(value.utf8) + [0]
        }
        fields.append(0)
        let length = UInt32(fields.count + 4)
        let message = Array("E".utf8) + withUnsafeBytes(of: length.bigEndian) { Array($0) } + fields
        _ = message.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        lock.withLock { accepted.removeAll { $0 == client } }
        close(client)
    }
}
