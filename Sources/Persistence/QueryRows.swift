import PostgresNIO

/// The rows of one `Database.query`, read in full before the connection went back to
/// the pool.
///
/// `PostgresClient.query` (PostgresNIO 1.33) hands back a row stream that returns its
/// connection to the pool when the stream ends, except when the statement's error
/// reaches the connection before the stream is handed over (under CPU load, often): that
/// connection is never returned. Each failed statement (a taken code, a foreign key) then
/// leaks one connection until the pool is empty and every request waits forever, which
/// the contract test showed as a server that stops answering. `Database.query` therefore
/// leases a connection itself, reads the rows, and releases the connection whatever
/// happened. Results here are pages and single rows, so reading them in full costs
/// nothing. It iterates like `PostgresRowSequence` (`for try await row in rows`,
/// `rows.decode(...)`).
public struct QueryRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow
    /// The rows, in the order the server sent them.
    public let rows: [PostgresRow]

    public init(_ rows: [PostgresRow]) {
        self.rows = rows
    }

    /// Reads `sequence` (a statement run on a connection the caller holds) to the end.
    public init(collecting sequence: PostgresRowSequence) async throws {
        self.rows = try await sequence.collect()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async -> PostgresRow? { base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }
}
