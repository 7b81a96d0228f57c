import CampusTesting
import Testing

/// The endpoint scenarios that touch the tricky SQL, again on PostgreSQL (their SQLite twins
/// run in the other suites).
@Suite struct PostgreSQLBookingTests {

    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func bookingRulesOnPostgreSQL() async throws {
        try await BookingEndpointTests().backToBackAndOverlap(.postgresql)
        try await BookingEndpointTests().cancellation(.postgresql)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func seriesAndAvailabilityOnPostgreSQL() async throws {
        try await SeriesAndAvailabilityTests().weeklySeries(.postgresql)
        try await SeriesAndAvailabilityTests().seriesAllOrNothing(.postgresql)
        try await SeriesAndAvailabilityTests().availability(.postgresql)
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func roomManagementOnPostgreSQL() async throws {
        try await RoomEndpointTests().roomManagement(.postgresql)
    }
}
