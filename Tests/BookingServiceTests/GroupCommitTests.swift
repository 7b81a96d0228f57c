import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Testing

@testable import BookingService

/// One group commit decides each request of its batch as if each had had its own transaction, in
/// the order they came: against the table and against the winners before it in the same batch.
@Suite struct GroupCommitTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func aBatchAnswersEachRequestAsIfItWereAlone(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        try await h.database.migrate(BookingServiceModule.migrations, logger: h.logger)
        let planner = BookingPlanner(grid: SlotGrid(settings: h.runtime.settings))
        let now = h.clock.now
        let student = try BookingLimits.of(.student)
        let faculty = try BookingLimits.of(.faculty)
        func write(_ user: String, _ limits: BookingLimits, room: Int, day: Int = 2, _ start: String, _ end: String, weeks: Int? = nil) throws -> BookingWrite {
            let plan = try planner.plan(
                .init(roomID: room, date: h.day(day), startTime: start, endTime: end, purpose: "Batch \(user)", repeatWeeks: weeks),
                userID: user, limits: limits, now: now, seriesID: "series-\(user)-\(start)")
            return BookingWrite(plan: plan, limits: limits, now: now, traceParent: nil)
        }
        // One booking already in the table.
        let isPostgreSQL = backend == .postgresql
        let first = try write("900", faculty, room: Room.studyL1, "13:00", "14:00")
        let existing = try await h.database.database(logger: h.logger).transaction { tx in
            try await FluentBookingRepository.book([first], on: tx, isPostgreSQL: isPostgreSQL)
        }
        let stored = try #require(try existing.first?.get().first)

        let batch = [
            try write("301", student, room: Room.seminarA101, "10:00", "11:00"),  // 0 wins
            try write("301", student, room: Room.seminarB201, "10:00", "11:00"),  // 1 wins
            try write("302", student, room: Room.seminarA101, "10:00", "11:00"),  // 2 clashes with 0, a winner of this batch
            try write("301", student, room: Room.studyL1, "10:00", "11:00"),  // 3 wins: the student's third
            try write("301", student, room: Room.studyL1, "15:00", "16:00"),  // 4 a fourth: over the limit of 3
            try write("303", student, room: 999, "10:00", "11:00"),  // 5 no such room
            try write("304", student, room: Room.lectureHall1, "10:00", "11:00"),  // 6 faculty only
            try write("305", student, room: Room.studyL1, "13:00", "14:00"),  // 7 clashes with the stored one
            try write("306", student, room: Room.seminarA101, "11:00", "12:00"),  // 8 back to back with 0: wins
            try write("201", faculty, room: Room.computerLab, "09:00", "10:00", weeks: 3),  // 9 a series wins, three bookings
            try write("202", faculty, room: Room.computerLab, day: 16, "09:00", "10:00"),  // 10 clashes with 9's third week
        ]
        let outboxBefore = try await h.outboxCount()
        let results = try await h.database.database(logger: h.logger).transaction { tx in
            try await FluentBookingRepository.book(batch, on: tx, isPostgreSQL: isPostgreSQL)
        }
        #expect(results.count == batch.count)
        func booked(_ index: Int) -> [Booking] { (try? results[index].get()) ?? [] }
        func refusal(_ index: Int) -> (any Error)? {
            if case .failure(let error) = results[index] { return error }
            return nil
        }
        for index in [0, 1, 3, 8] { #expect(booked(index).count == 1, "request \(index): \(results[index])") }
        #expect(booked(9).count == 3)
        let winners = [0, 1, 3, 8, 9].flatMap(booked)
        #expect(Set(winners.map(\.id)).count == winners.count && winners.allSatisfy { $0.id > 0 }, "every winner has its own stored id")

        guard case .conflict(_, let other, let date)? = refusal(2) as? BookingStoreError else {
            Issue.record("request 2: \(results[2])")
            return
        }
        #expect(other?.id == booked(0).first?.id && date.description == h.day(2), "the clash names the winner by its stored id")
        if case .tooManyUpcoming(_, let max, let existingCount, _)? = refusal(4) as? BookingRefusal {
            #expect(max == 3 && existingCount == 3)
        } else {
            Issue.record("request 4: \(results[4])")
        }
        #expect(refusal(5) as? BookingStoreError == .unknownRoom)
        if case .facultyOnlyRoom? = refusal(6) as? BookingRefusal {} else { Issue.record("request 6: \(results[6])") }
        if case .conflict(_, let clash, _)? = refusal(7) as? BookingStoreError {
            #expect(clash?.id == stored.id)
        } else {
            Issue.record("request 7: \(results[7])")
        }
        if case .conflict(_, let clash, let date)? = refusal(10) as? BookingStoreError {
            #expect(clash?.id == booked(9).last?.id && date.description == h.day(16))
        } else {
            Issue.record("request 10: \(results[10])")
        }

        // The table holds exactly the winners, and the outbox one notice per winning request.
        let db = try h.database.database(logger: h.logger)
        let rows = try await BookingRecord.query(on: db).filter(\.$status == BookingStatus.confirmed.rawValue).all().map { try $0.domain() }
        #expect(Set(rows.map(\.id)) == Set(winners.map(\.id) + [stored.id]))
        #expect(try await h.outboxCount() == outboxBefore + 5)
        await h.database.shutdown()
    }
}
