import CampusKit
import CampusTesting
import Testing

/// `scripts/test` runs the Swift suite once, with a throwaway PostgreSQL, and says so with
/// `CAMPUS_TEST_REQUIRE_POSTGRES=1`: then the PostgreSQL cases of every test over
/// `TestDatabase.backends` must be there and the server must answer, or the run fails here
/// instead of passing on SQLite alone.
@Suite struct TestEnvironmentTests {
    @Test(.enabled(if: TestDatabase.postgresRequired, "only when a run requires PostgreSQL (scripts/test)"))
    func postgreSQLIsThereWhenTheRunRequiresIt() async throws {
        #expect(TestDatabase.backends == [.sqlite, .postgresql])
        let database = try TestDatabase.make(.postgresql)
        let logger = await TestRuntime.make().logger(for: .booking)
        let row = try await database.sql(logger: logger).raw("SELECT 1 AS one").first()
        #expect(try row?.decode(column: "one", as: Int.self) == 1)
        await database.shutdown()
    }
}
