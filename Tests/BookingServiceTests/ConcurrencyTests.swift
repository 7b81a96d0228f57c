import AsyncHTTPClient
import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import BookingService

/// No double booking, ever: real concurrent HTTP requests against a live server, and writes
/// that skip the service's own check, on SQLite and on PostgreSQL.
@Suite struct ConcurrencyTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func fiftyConcurrentRequestsForOneSlotMakeExactlyOneBooking(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let date = h.day(3)
        // Every pair of these overlaps (all contain 10:00–11:00); all within a student's two hours.
        let windows = [("10:00", "11:00"), ("09:00", "11:00"), ("10:00", "12:00"), ("09:00", "11:00"), ("10:00", "11:00")]
        var tokens: [String] = []
        for index in 0..<50 { tokens.append(try await h.token(index.isMultiple(of: 2) ? .student : .faculty, "\(1000 + index)")) }
        let racers = tokens
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await h.app.test(.live) { client in
                let port = try #require(client.port)
                let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                    for (index, token) in racers.enumerated() {
                        group.addTask {
                            let window = windows[index % windows.count]
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/bookings")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer \(token)")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(bookingBody(room: Room.seminarB201, date: date, window.0, window.1, purpose: "Race \(index)"))
                            let response = try await http.execute(request, timeout: .seconds(60))
                            let body = try await response.body.collect(upTo: 1 << 20)
                            let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
                            return (Int(response.status.code), json?["code"] as? String)
                        }
                    }
                    var all: [(Int, String?)] = []
                    for try await status in group { all.append(status) }
                    return all
                }
                #expect(statuses.count == 50)
                #expect(statuses.filter { $0.0 == 201 }.count == 1)
                // Every other racer is told the slot is taken. On a loaded machine (the whole suite in
                // parallel on two cores) a racer may wait out the pool's 10 s for a connection instead:
                // that is a 503 database_unavailable, "try again", and never a booking.
                let conflicts = statuses.filter { $0.0 == 409 && $0.1 == "booking_conflict" }.count
                let poolTimeouts = statuses.filter { $0.0 == 503 && $0.1 == "database_unavailable" }.count
                #expect(conflicts + poolTimeouts == 49, "\(statuses)")
                #expect(conflicts >= 25, "too few racers reached the database to prove anything: \(statuses)")
                let stored = try await BookingRecord.query(on: h.database.database(logger: h.logger))
                    .filter(\.$roomID == Room.seminarB201).filter(\.$status == "confirmed").count()
                #expect(stored == 1)
                #expect(try await h.outboxCount() == 1)
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// The guard lives in the database: an overlapping row written straight to the table, past
    /// the service's check, is refused; back-to-back and cancelled rows are not.
    @Test(arguments: TestDatabase.backends)
    func theDatabaseItselfRefusesOverlappingBookings(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .booking)
        let database = try TestDatabase.make(backend)
        try await database.migrate(BookingServiceModule.migrations, logger: logger)
        let db = try database.database(logger: logger)
        let start = BookingHarness.start.addingTimeInterval(86_400)
        func row(_ offset: TimeInterval, hours: TimeInterval = 1, room: Int = Room.seminarA101, status: BookingStatus = .confirmed) -> BookingRecord {
            let record = BookingRecord()
            record.roomID = room
            record.userID = "u"
            record.date = "2026-11-28"
            record.startTime = "10:00"
            record.endTime = "11:00"
            record.startsAt = start.addingTimeInterval(offset)
            record.endsAt = start.addingTimeInterval(offset + hours * 3600)
            record.purpose = "p"
            record.status = status.rawValue
            record.createdAt = start
            record.revision = 0
            return record
        }
        try await row(0).create(on: db)
        try await row(3600).create(on: db)  // back to back
        try await row(0, room: Room.seminarB201).create(on: db)  // another room
        try await row(1800, status: .cancelled).create(on: db)  // cancelled rows do not count
        for clash in [row(0), row(1800), row(-1800), row(-3600, hours: 3)] {
            do {
                try await clash.create(on: db)
                Issue.record("an overlapping booking was stored")
            } catch {
                #expect(ConstraintViolation.isViolation(of: CreateBookings.overlapGuard, error), "\(String(reflecting: error))")
            }
        }
        // Re-confirming a cancelled overlapping booking is refused too.
        let cancelled = try #require(try await BookingRecord.query(on: db).filter(\.$status == "cancelled").first())
        cancelled.status = BookingStatus.confirmed.rawValue
        await #expect(throws: (any Error).self) { try await cancelled.update(on: db) }
        #expect(try await BookingRecord.query(on: db).filter(\.$status == "confirmed").count() == 3)
        await database.shutdown()
    }

}
