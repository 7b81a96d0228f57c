import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Logging
import SQLKit
import Testing

/// `campus_db_pool_*`: a connection held by a transaction is in use, a call that needs one meanwhile
/// waits, and both return to zero when the transaction ends — read from a real pool, on SQLite's
/// single connection and on PostgreSQL.
@Suite struct DatabasePoolUsageTests {
    static let logger = Logger(label: "test.pool")

    /// Polls until `condition` holds: the pool's callbacks run on its event loop. The limit is
    /// generous because the whole suite runs in parallel on two cores, where a task can wait
    /// more than a minute for a thread (trivial tests have taken 75 s there).
    func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(180)
        while !condition() {
            guard Date() < deadline else { throw TestSetupError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// A transaction that holds its connection until `release` finishes.
    func holdConnection(_ database: DatabaseProvider, until release: AsyncStream<Void>) -> Task<Void, any Error> {
        Task {
            let db = try database.database(logger: Self.logger)
            try await db.transaction { tx in
                try await tx.sql.raw("SELECT 1").run()
                for await _ in release { break }
            }
        }
    }

    @Test func aHeldConnectionIsInUseAndTheNextCallWaitsUntilItIsBack() async throws {
        let database = try TestDatabase.make(.sqlite)
        defer { Task { await database.shutdown() } }
        let metrics = HTTPMetrics(service: .booking)
        metrics.watchDatabasePool(database.poolUsage)
        #expect(database.poolUsage.capacity == 1)
        #expect(database.poolUsage.snapshot == .init(inUse: 0, waiting: 0))

        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        let holder = holdConnection(database, until: release)
        try await waitFor("the transaction to hold the connection") { database.poolUsage.snapshot == .init(inUse: 1, waiting: 0) }

        let waiter = Task { try await database.sql(logger: Self.logger).raw("SELECT 2 AS two").first()?.decode(column: "two", as: Int.self) }
        try await waitFor("the second call to wait") { database.poolUsage.snapshot == .init(inUse: 1, waiting: 1) }
        await metrics.collect()
        let scraped = metrics.render()
        #expect(scraped.contains(#"campus_db_pool_connections_in_use{service="booking"} 1.0"#))
        #expect(scraped.contains(#"campus_db_pool_waiting_calls{service="booking"} 1.0"#))
        #expect(scraped.contains(#"campus_db_pool_max_connections{service="booking"} 1.0"#))

        releasing.finish()
        try await holder.value
        #expect(try await waiter.value == 2)
        try await waitFor("the pool to be idle") { database.poolUsage.snapshot == .init(inUse: 0, waiting: 0) }
        await metrics.collect()
        #expect(metrics.render().contains(#"campus_db_pool_waiting_calls{service="booking"} 0.0"#))
    }

    @Test(arguments: TestDatabase.backends)
    func aTransactionCountsOnceHoweverManyStatementsItRuns(_ backend: TestDatabase.Backend) async throws {
        let database = try TestDatabase.make(backend)
        defer { Task { await database.shutdown() } }
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            let db = try database.database(logger: Self.logger)
            try await db.transaction { tx in
                for _ in 0..<3 { try await tx.sql.raw("SELECT 1").run() }
                for await _ in release { break }
            }
        }
        try await waitFor("the transaction to hold one connection") { database.poolUsage.snapshot == .init(inUse: 1, waiting: 0) }
        releasing.finish()
        try await holder.value
        try await waitFor("the pool to be idle") { database.poolUsage.snapshot == .init(inUse: 0, waiting: 0) }
    }

    @Test func aFailedStatementGivesItsConnectionBack() async throws {
        let database = try TestDatabase.make(.sqlite)
        defer { Task { await database.shutdown() } }
        await #expect(throws: (any Error).self) {
            try await database.sql(logger: Self.logger).raw("SELECT * FROM no_such_table").run()
        }
        try await waitFor("the pool to be idle") { database.poolUsage.snapshot == .init(inUse: 0, waiting: 0) }
    }
}
