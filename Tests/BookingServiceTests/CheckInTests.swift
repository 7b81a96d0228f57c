import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Check-in and auto-release (issue 19, point 3): a room can require its bookings to be checked
/// in to within CHECK_IN_MINUTES of their start; the service's own sweep releases those that are
/// not, once each however many replicas sweep, and tells their owners.
@Suite struct CheckInTests {
    typealias Room = BookingHarness.SeededRoom

    /// 10:00 of `h.day(days)` as an instant.
    static func tenOClock(_ h: BookingHarness, _ days: Int) throws -> Date {
        let date = try #require(CalendarDate(h.day(days)))
        return CampusCalendar(timeZone: h.runtime.settings.campusTimeZone).instant(date, try #require(WallClockTime("10:00")))
    }

    static func requireCheckIn(_ client: some TestClientProtocol, _ h: BookingHarness, room: Int, _ on: Bool = true) async throws {
        let admin = try await h.token(.admin, "1")
        let answer = try await client.put("/rooms/\(room)", admin, ["check_in_required": on])
        #expect(answer.status == .ok)
        #expect(answer.json["check_in_required"] as? Bool == on)
    }

    @Test func theWindowClosesHalfwayThroughAShortBookingSoItsReleaseStillFreesSomething() {
        let start = BookingHarness.start
        let long = CheckInRule(minutes: 15).window(startingAt: start, endingAt: start.addingTimeInterval(3600))
        #expect(long.opensAt == start.addingTimeInterval(-15 * 60) && long.closesAt == start.addingTimeInterval(15 * 60))
        let short = CheckInRule(minutes: 120).window(startingAt: start, endingAt: start.addingTimeInterval(3600))
        #expect(short.opensAt == start.addingTimeInterval(-120 * 60) && short.closesAt == start.addingTimeInterval(30 * 60))
    }

    @Test(arguments: TestDatabase.backends)
    func theOwnerChecksInWithinTheWindowAndOnlyThen(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        try await h.app.test(.router) { client in
            // Made before the room required check-in: it keeps the rule it was made under.
            let before = try #require(try await client.book(student, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            try await Self.requireCheckIn(client, h, room: Room.studyL1)
            #expect(try await client.get("/bookings/\(before)", student).json["check_in"] is NSNull)

            let made = try await client.book(student, room: Room.studyL1, date: h.day(0), "10:00", "11:00")
            #expect(made.status == .created)
            let id = try #require(made.json["id"] as? Int)
            let window = try #require(made.json["check_in"] as? [String: Any])
            let ten = try Self.tenOClock(h, 0)
            #expect(window["opens_at"] as? String == ten.addingTimeInterval(-15 * 60).iso8601)
            #expect(window["closes_at"] as? String == ten.addingTimeInterval(15 * 60).iso8601)
            #expect(window["checked_in_at"] is NSNull)

            // 09:00: too early, and the answer says when it opens.
            let early = try await client.post("/bookings/\(id)/check-in", student, [:])
            #expect(early.status == .conflict)
            #expect(early.json["code"] as? String == "check_in_not_open")
            #expect(early.detail.contains("opens at 09:45"), "\(early.detail)")
            #expect(try await client.post("/bookings/\(id)/check-in", other, [:]).status == .notFound)
            let needsNone = try await client.post("/bookings/\(before)/check-in", student, [:])
            #expect(needsNone.json["code"] as? String == "check_in_not_required")

            h.clock.advance(by: 50 * 60)  // 09:50
            let done = try await client.post("/bookings/\(id)/check-in", student, [:])
            #expect(done.status == .ok)
            let checkedIn = try #require((done.json["check_in"] as? [String: Any])?["checked_in_at"] as? String)
            #expect(checkedIn == h.clock.now.wholeSeconds.iso8601)
            h.clock.advance(by: 60)
            let again = try await client.post("/bookings/\(id)/check-in", student, [:])
            #expect(again.status == .ok)
            #expect((again.json["check_in"] as? [String: Any])?["checked_in_at"] as? String == checkedIn)

            // Checked in: never released, even long after the window.
            let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
            #expect(try await repository.releaseNoShows(now: ten.addingTimeInterval(30 * 60)).isEmpty)
            #expect(try await client.get("/bookings/\(id)", student).json["status"] as? String == "confirmed")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aBookingNobodyChecksInToIsReleasedItsOwnerToldAndTheSlotFreed(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
        try await h.app.test(.router) { client in
            try await Self.requireCheckIn(client, h, room: Room.studyL1)
            let id = try #require(
                try await client.book(student, room: Room.studyL1, date: h.day(0), "10:00", "11:00", purpose: "Revision").json["id"] as? Int)
            let ten = try Self.tenOClock(h, 0)

            // Until the window closes nothing is released; the moment it has, it is, once.
            #expect(try await repository.releaseNoShows(now: ten.addingTimeInterval(15 * 60 - 1)).isEmpty)
            h.clock.advance(by: ten.addingTimeInterval(15 * 60).timeIntervalSince(h.clock.now))
            let late = try await client.post("/bookings/\(id)/check-in", student, [:])
            #expect(late.status == .conflict)
            #expect(late.json["code"] as? String == "check_in_closed")
            #expect(late.detail.contains("closed at 10:15"), "\(late.detail)")
            #expect(try await repository.releaseNoShows(now: h.clock.now).map(\.id) == [id])
            #expect(try await repository.releaseNoShows(now: h.clock.now.addingTimeInterval(60)).isEmpty)

            let released = try await client.get("/bookings/\(id)", student)
            #expect(released.json["status"] as? String == "cancelled")
            #expect(released.json["cancelled_by"] as? String == "no_check_in")
            #expect(released.json["cancel_reason"] as? String == "Released: nobody checked in by 10:15.")
            let afterRelease = try await client.post("/bookings/\(id)/check-in", student, [:])
            #expect(afterRelease.json["code"] as? String == "booking_cancelled")

            let notices = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().filter { $0.payload.contains("Booking released") }
            #expect(notices.count == 1)
            #expect(notices.first?.payload.contains(#""user_id":301"#) == true)
            #expect(notices.first?.payload.contains("by 10:15") == true)
            #expect(try await client.get("/bookings?status=confirmed", student).headers[.totalCount] == "0")
            #expect(try await client.get("/bookings/\(id)", other).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aMovedBookingIsCheckedInToAfreshUnderItsNewRoomsRule(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            try await Self.requireCheckIn(client, h, room: Room.studyL1)
            let id = try #require(try await client.book(student, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            let moved = try await client.change(id, student, ["start_time": "14:00", "end_time": "15:00"])
            #expect(moved.status == .ok)
            let date = try #require(CalendarDate(h.day(1)))
            let two = CampusCalendar(timeZone: h.runtime.settings.campusTimeZone).instant(date, try #require(WallClockTime("14:00")))
            #expect((moved.json["check_in"] as? [String: Any])?["closes_at"] as? String == two.addingTimeInterval(15 * 60).iso8601)
            // Into a room that requires none: no window, never released.
            let elsewhere = try await client.change(id, student, ["room_id": Room.seminarA101])
            #expect(elsewhere.status == .ok)
            #expect(elsewhere.json["check_in"] is NSNull)
            let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
            #expect(try await repository.releaseNoShows(now: two.addingTimeInterval(20 * 60)).isEmpty)
            // A purpose-only change keeps the window.
            let back = try await client.change(id, student, ["room_id": Room.studyL1])
            let window = try #require(back.json["check_in"] as? [String: Any])
            let renamed = try await client.change(id, student, ["purpose": "Reading"])
            #expect((renamed.json["check_in"] as? [String: Any])?["closes_at"] as? String == window["closes_at"] as? String)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func twoReplicasSweepingAtOnceReleaseEachBookingOnce(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        var made: [String] = []
        for index in 0..<6 { made.append(try await h.token(.faculty, "\(600 + index)")) }
        let tokens = made
        try await h.app.test(.router) { client in
            let rooms = [Room.seminarA101, Room.seminarB201, Room.studyL1, Room.computerLab, Room.lectureHall1, 4]
            for room in rooms { try await Self.requireCheckIn(client, h, room: room) }
            for (index, token) in tokens.enumerated() {
                for hour in 0..<3 {
                    #expect(try await client.book(token, room: rooms[index], date: h.day(1), "\(10 + hour):00", "\(11 + hour):00").status == .created)
                }
            }
            let now = try Self.tenOClock(h, 1).addingTimeInterval(20 * 60)  // 10:20: the 10:00 ones are due
            let a = FluentBookingRepository(provider: h.database, logger: h.logger)
            let b = FluentBookingRepository(provider: h.database, logger: h.logger)
            async let first = a.releaseNoShows(now: now)
            async let second = b.releaseNoShows(now: now)
            let (one, two) = try await (first, second)
            #expect(one.count + two.count == tokens.count)
            #expect(Set((one + two).map(\.id)).count == tokens.count)
            let notices = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().filter { $0.payload.contains("Booking released") }
            #expect(notices.count == tokens.count)
        }
    }
}

extension Date {
    /// As the API writes it: `2026-11-27T09:45:00Z`.
    fileprivate var iso8601: String { ISO8601DateFormatter().string(from: self) }
}
