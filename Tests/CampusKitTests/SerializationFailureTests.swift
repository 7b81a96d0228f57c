import CampusKit
import CampusTesting
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// A deadlock made by a real PostgreSQL server: two transactions that lock two rows in opposite
/// orders. The server aborts one; the retry runs it again, and a race lost every time is a 503.
@Suite struct SerializationFailureTests {
    /// Two transactions, each updating `first` then, once the other has its first row, `second`.
    func race(on db: any Database, retrying: Bool) async throws -> [Result<Void, any Error>] {
        let holding = NIOLockedValueBox(0)
        let logger = db.logger
        func transaction(_ first: Int, _ second: Int, firstRound: NIOLockedValueBox<Bool>) async throws {
            try await db.transaction { tx in
                try await tx.sql.raw("UPDATE pairs SET n = n + 1 WHERE id = \(bind: first)").run()
                // Only the first round meets the other in step; a retry goes straight through.
                if firstRound.withLockedValue({
                    let was = $0
                    $0 = false
                    return was
                }) {
                    holding.withLockedValue { $0 += 1 }
                    while holding.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
                }
                try await tx.sql.raw("UPDATE pairs SET n = n + 1 WHERE id = \(bind: second)").run()
            }
        }
        return await withTaskGroup(of: Result<Void, any Error>.self) { group in
            for (first, second) in [(1, 2), (2, 1)] {
                group.addTask {
                    let firstRound = NIOLockedValueBox(true)
                    do {
                        if retrying {
                            try await ConstraintViolation.retryingSerializationFailures(logger: logger) {
                                try await transaction(first, second, firstRound: firstRound)
                            }
                        } else {
                            try await transaction(first, second, firstRound: firstRound)
                        }
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func aDeadlockIsRetriedAndOneLostForGoodIsA503() async throws {
        let runtime = await TestRuntime.make()
        let provider = try TestDatabase.make(.postgresql)
        let db = try provider.database(logger: runtime.logger(for: .booking))
        try await db.sql.raw("CREATE TABLE pairs (id INT PRIMARY KEY, n INT NOT NULL)").run()
        try await db.sql.raw("INSERT INTO pairs VALUES (1, 0), (2, 0)").run()

        // Without the retry: PostgreSQL breaks the circle by aborting one, and only that one's work is lost.
        let alone = try await race(on: db, retrying: false)
        let failures = alone.compactMap { result -> (any Error)? in if case .failure(let error) = result { error } else { nil } }
        try #require(failures.count == 1, "\(failures)")
        #expect(ConstraintViolation.isSerializationFailure(failures[0]), "\(String(reflecting: failures[0]))")
        let problem = try #require(DatabaseUnavailable.problem(for: failures[0]))
        #expect(problem.status == .serviceUnavailable)
        #expect(problem.code == "database_busy")
        var counts = try await db.sql.raw("SELECT n FROM pairs ORDER BY id").all().map { try $0.decode(column: "n", as: Int.self) }
        #expect(counts == [1, 1])

        // With it: the aborted one runs again once the other has committed, and both are stored.
        let retried = try await race(on: db, retrying: true)
        #expect(retried.allSatisfy { if case .success = $0 { true } else { false } })
        counts = try await db.sql.raw("SELECT n FROM pairs ORDER BY id").all().map { try $0.decode(column: "n", as: Int.self) }
        #expect(counts == [3, 3])
        await provider.shutdown()
    }

    /// Two processes on one SQLite file (a server and `campus create-admin`): a transaction that
    /// read before the other wrote cannot write; SQLite refuses at once, and the retry succeeds.
    @Test func aSQLiteTransactionOvertakenByAnotherProcessIsRetried() async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let path = TestDatabase.temporaryDirectory().appendingPathComponent("shared.db").path
        let (server, tool) = (try DatabaseProvider(backend: .sqlite(path: path)), try DatabaseProvider(backend: .sqlite(path: path)))
        let (db, other) = (try tool.database(logger: logger), try server.database(logger: logger))
        try await db.sql.raw("PRAGMA journal_mode=WAL").run()
        try await db.sql.raw("CREATE TABLE counts (n INT NOT NULL)").run()
        try await db.sql.raw("INSERT INTO counts VALUES (0)").run()
        func readOvertakenWrite(firstRound: NIOLockedValueBox<Bool>) async throws {
            try await db.transaction { tx in
                _ = try await tx.sql.raw("SELECT n FROM counts").all()
                if firstRound.withLockedValue({
                    let was = $0
                    $0 = false
                    return was
                }) {
                    try await other.sql.raw("UPDATE counts SET n = n + 10").run()
                }
                try await tx.sql.raw("UPDATE counts SET n = n + 1").run()
            }
        }
        func count() async throws -> Int { try await other.sql.raw("SELECT n FROM counts").first()?.decode(column: "n", as: Int.self) ?? -1 }

        do {
            try await readOvertakenWrite(firstRound: NIOLockedValueBox(true))
            Issue.record("the overtaken transaction wrote")
        } catch {
            #expect(ConstraintViolation.isSerializationFailure(error), "\(String(reflecting: error))")
            #expect(DatabaseUnavailable.problem(for: error)?.status == .serviceUnavailable)
        }
        #expect(try await count() == 10)
        let firstRound = NIOLockedValueBox(true)
        try await ConstraintViolation.retryingSerializationFailures(logger: logger) { try await readOvertakenWrite(firstRound: firstRound) }
        #expect(try await count() == 21)
        await server.shutdown()
        await tool.shutdown()
    }
}
