import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import BookingService

/// The booking service on a real database with a clock fixed at 2026-11-27 09:00 UTC (a Friday).
struct BookingHarness {
    static let start = Date(timeIntervalSince1970: 1_795_770_000)  // 2026-11-27T09:00:00Z

    let runtime: ServiceRuntime
    let database: DatabaseProvider
    let app: any ApplicationProtocol
    let clock: TestClock
    /// User management as booking sees it: who still stands (everyone, unless a test says otherwise).
    let accounts = Accounts()

    final class Accounts: AccountDirectory, @unchecked Sendable {
        private let lock = NSLock()
        private var standings: [String: AccountStanding] = [:]
        func set(_ userID: String, _ standing: AccountStanding) { lock.withLock { standings[userID] = standing } }
        func standing(of userID: String) async throws -> AccountStanding { lock.withLock { standings[userID] ?? .active(tokensValidAfter: nil) } }
        private var people: [String: Person] = [:]
        func set(_ userID: String, _ person: Person) { lock.withLock { people[userID] = person } }
        func person(_ userID: String) async throws -> Person? { lock.withLock { people[userID] } }
    }

    /// Rooms of the seeded catalogue, by the order it is seeded in.
    enum SeededRoom {
        static let seminarA101 = 1
        static let seminarB201 = 2
        static let studyL1 = 3
        static let computerLab = 6
        static let lectureHall1 = 8
    }

    init(backend: TestDatabase.Backend = .sqlite, now: Date = BookingHarness.start, configure: (inout Settings) -> Void = { _ in }) async throws {
        runtime = await TestRuntime.make(configure)
        database = try TestDatabase.make(backend)
        let clock = TestClock(now)
        self.clock = clock
        app = try await buildApplication(runtime: runtime, database: database, accounts: accounts, now: { clock.now })
    }

    var today: CalendarDate { CampusCalendar(timeZone: runtime.settings.campusTimeZone).date(at: clock.now) }

    /// `today + days` as `YYYY-MM-DD`.
    func day(_ days: Int) -> String { today.adding(days: days).description }

    func token(_ role: Role, _ userID: String) async throws -> String {
        try await TestRuntime.token(runtime, userID: userID, role: role)
    }

    var logger: Logger { runtime.logger(for: .booking) }

    func outboxCount() async throws -> Int {
        try await OutboxEvent.query(on: database.database(logger: logger)).count()
    }
}

/// `{"room_id","date","start_time","end_time","purpose"}` plus anything extra.
func bookingBody(room: Int, date: String, _ start: String, _ end: String, purpose: String = "Study group", extra: JSONObject = [:]) -> ByteBuffer {
    var body: JSONObject = ["room_id": room, "date": date, "start_time": start, "end_time": end, "purpose": purpose]
    body.merge(extra) { $1 }
    return jsonBody(body)
}

extension TestClientProtocol {
    /// POST /bookings; returns the response for the caller to inspect.
    func book(_ token: String, room: Int, date: String, _ start: String, _ end: String, purpose: String = "Study group", extra: JSONObject = [:]) async throws
        -> TestResponse
    {
        try await execute(
            uri: "/bookings", method: .post, headers: bearer(token), body: bookingBody(room: room, date: date, start, end, purpose: purpose, extra: extra)
        ) { $0 }
    }

    func get(_ uri: String, _ token: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: bearer(token)) { $0 }
    }

    func delete(_ uri: String, _ token: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .delete, headers: bearer(token)) { $0 }
    }
}

extension TestResponse {
    var detail: String { json["detail"] as? String ?? "" }
}
