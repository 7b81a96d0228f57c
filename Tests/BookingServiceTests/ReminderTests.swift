import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Reminders before a booking starts (issue 19, point 6): each person's lead time, and the sweep
/// the service runs every REMINDER_CHECK_SECONDS, safe with several replicas.
@Suite struct ReminderTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func peopleChooseTheirLeadTimeOrNone(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let admin = try await h.token(.admin, "1")
        try await h.app.test(.router) { client in
            let shown = try await client.get("/bookings/reminders", student)
            #expect(shown.status == .ok)
            #expect(shown.json["minutes_before"] as? Int == 60)
            #expect(shown.json["choices"] as? [Int] == [15, 30, 60, 120, 1440])
            #expect(try await client.put("/bookings/reminders", student, ["minutes_before": 15]).json["minutes_before"] as? Int == 15)
            #expect(try await client.get("/bookings/reminders", student).json["minutes_before"] as? Int == 15)
            #expect(try await client.put("/bookings/reminders", student, ["minutes_before": NSNull()]).json["minutes_before"] is NSNull)
            #expect(try await client.get("/bookings/reminders", student).json["minutes_before"] is NSNull)
            for body: JSONObject in [["minutes_before": 45], ["minutes_before": "60"], ["minutes_before": 1.5], [:], ["minutes": 60]] {
                #expect(try await client.put("/bookings/reminders", student, body).status == .unprocessableContent, "\(body)")
            }
            #expect(try await client.get("/bookings/reminders", student).json["minutes_before"] is NSNull)
            #expect(try await client.get("/bookings/reminders", admin).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func eachBookingIsRemindedOnceWithinItsOwnersLeadTime(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let early = try await h.token(.faculty, "201")
        let quiet = try await h.token(.faculty, "202")
        let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
        try await h.app.test(.router) { client in
            #expect(try await client.put("/bookings/reminders", early, ["minutes_before": 1440]).status == .ok)
            #expect(try await client.put("/bookings/reminders", quiet, ["minutes_before": NSNull()]).status == .ok)
            let mine = try #require(
                try await client.book(student, room: Room.studyL1, date: h.day(2), "10:00", "11:00", purpose: "Revision").json["id"] as? Int)
            let theirs = try #require(try await client.book(early, room: Room.seminarA101, date: h.day(2), "10:00", "11:00").json["id"] as? Int)
            _ = try await client.book(quiet, room: Room.seminarB201, date: h.day(2), "10:00", "11:00")
            let start = try #require(CalendarDate(h.day(2)))
            let tenOClock = CampusCalendar(timeZone: h.runtime.settings.campusTimeZone).instant(start, try #require(WallClockTime("10:00")))

            // Nothing is due yet; a day before, only the one who asked for a day.
            #expect(try await repository.sendReminders(now: h.clock.now).isEmpty)
            #expect(try await repository.sendReminders(now: tenOClock.addingTimeInterval(-86_400 + 60)).map(\.id) == [theirs])
            // Within the hour: the student's (the default), once; never the one who wants none.
            let inTheHour = tenOClock.addingTimeInterval(-59 * 60)
            #expect(try await repository.sendReminders(now: inTheHour).map(\.id) == [mine])
            #expect(try await repository.sendReminders(now: inTheHour.addingTimeInterval(60)).isEmpty)
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().filter { $0.payload.contains("Booking starts soon") }
            #expect(events.count == 2)
            #expect(events.contains { $0.payload.contains(#""user_id":301"#) && $0.payload.contains("Revision") && $0.payload.contains("in about 1 hour") })
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aBookingMadeOrMovedInsideItsLeadTimeIsNotRemindedButAMovedOneIsLater(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
        try await h.app.test(.router) { client in
            // 09:00 now: a 10:00 booking is made inside its hour (or at its very start); no reminder of itself.
            let late = try #require(try await client.book(student, room: Room.studyL1, date: h.day(0), "10:00", "11:00").json["id"] as? Int)
            h.clock.advance(by: 30 * 60)
            #expect(try await repository.sendReminders(now: h.clock.now).isEmpty)
            // Moved to tomorrow: reminded of in tomorrow's hour before.
            #expect(try await client.change(late, student, ["date": h.day(1)]).status == .ok)
            let moved = h.clock.now.addingTimeInterval(86_400)
            #expect(try await repository.sendReminders(now: moved).map(\.id) == [late])
        }
    }

    @Test(arguments: TestDatabase.backends)
    func twoReplicasSweepingAtOnceRemindEachBookingOnce(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        var made: [String] = []
        for index in 0..<6 { made.append(try await h.token(.faculty, "\(600 + index)")) }
        let tokens = made
        try await h.app.test(.router) { client in
            for (index, token) in tokens.enumerated() {
                for hour in 0..<4 {
                    let room = [Room.seminarA101, Room.seminarB201, Room.studyL1, Room.computerLab, Room.lectureHall1, 4][index]
                    #expect(try await client.book(token, room: room, date: h.day(3), "\(10 + hour):00", "\(11 + hour):00").status == .created)
                }
            }
            let start = try #require(CalendarDate(h.day(3)))
            let last = CampusCalendar(timeZone: h.runtime.settings.campusTimeZone).instant(start, try #require(WallClockTime("13:00")))
            let now = last.addingTimeInterval(-30 * 60)  // 12:30: the 10:00 to 12:00 ones have begun, 13:00 is due
            let a = FluentBookingRepository(provider: h.database, logger: h.logger)
            let b = FluentBookingRepository(provider: h.database, logger: h.logger)
            let earlier = last.addingTimeInterval(-3 * 3600 - 30 * 60)  // 09:30: the 10:00 ones are due
            async let firstSweep = a.sendReminders(now: earlier)
            async let secondSweep = b.sendReminders(now: earlier)
            let (first, second) = try await (firstSweep, secondSweep)
            #expect(first.count + second.count == tokens.count)
            #expect(Set((first + second).map(\.id)).count == tokens.count)
            async let thirdSweep = a.sendReminders(now: now)
            async let fourthSweep = b.sendReminders(now: now)
            let (third, fourth) = try await (thirdSweep, fourthSweep)
            #expect(third.count + fourth.count == tokens.count)
            let notices = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().filter { $0.payload.contains("Booking starts soon") }
            #expect(notices.count == 2 * tokens.count)
        }
    }
}

extension TestClientProtocol {
    func put(_ uri: String, _ token: String, _ body: JSONObject) async throws -> TestResponse {
        try await execute(uri: uri, method: .put, headers: bearer(token), body: jsonBody(body)) { $0 }
    }
}
