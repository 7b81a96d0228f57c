import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Every row of docs/contract.md §6's limits table, for each role, with the boundary on each side.
@Suite struct BookingLimitTests {
    typealias Room = BookingHarness.SeededRoom

    func expectLimit(_ response: TestResponse, _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .unprocessableContent, sourceLocation: sourceLocation)
        #expect(response.problemCode == "booking_limit", sourceLocation: sourceLocation)
        #expect(response.detail.contains(phrase), "\(response.detail)", sourceLocation: sourceLocation)
    }

    @Test func studentsBookAtMostTwoHoursFacultyEight() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(2), "10:00", "12:00").status == .created)
            expectLimit(
                try await client.book(student, room: Room.seminarB201, date: h.day(2), "10:00", "13:00"),
                "Students can book at most 2 hours at a time")
            #expect(try await client.book(faculty, room: Room.lectureHall1, date: h.day(2), "08:00", "16:00").status == .created)
            expectLimit(
                try await client.book(faculty, room: Room.computerLab, date: h.day(2), "08:00", "17:00"),
                "Faculty can book at most 8 hours at a time")
        }
    }

    @Test func studentsBookAtMostFourteenDaysAheadFacultyNinety() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(14), "10:00", "11:00").status == .created)
            expectLimit(
                try await client.book(student, room: Room.seminarA101, date: h.day(15), "10:00", "11:00"),
                "Students can book at most 14 days ahead")
            #expect(try await client.book(faculty, room: Room.seminarA101, date: h.day(90), "10:00", "11:00").status == .created)
            expectLimit(
                try await client.book(faculty, room: Room.seminarA101, date: h.day(91), "10:00", "11:00"),
                "Faculty can book at most 90 days ahead")
        }
    }

    @Test func aheadIsCountedFromTodayOnTheCampusClock() async throws {
        // 23:30 UTC on 27 November is already 28 November in Tokyo: 14 days ahead ends on 12 December there.
        let late = BookingHarness.start.addingTimeInterval(14.5 * 3600)
        let h = try await BookingHarness(now: late) { $0.campusTimeZone = TimeZone(identifier: "Asia/Tokyo") ?? $0.campusTimeZone }
        #expect(h.today.description == "2026-11-28")
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            #expect(try await client.book(student, room: Room.seminarA101, date: "2026-12-12", "10:00", "11:00").status == .created)
            expectLimit(try await client.book(student, room: Room.seminarA101, date: "2026-12-13", "10:00", "11:00"), "14 days ahead")
            let past = try await client.book(student, room: Room.seminarA101, date: "2026-11-27", "17:00", "18:00")
            #expect(past.status == .unprocessableContent)
            #expect(past.detail.hasPrefix("date:"))
        }
    }

    @Test func studentsHoldAtMostThreeUpcomingBookings() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            var ids: [Int] = []
            for day in 1...3 {
                let response = try await client.book(student, room: Room.seminarA101, date: h.day(day), "10:00", "11:00")
                #expect(response.status == .created)
                ids.append(response.json["id"] as? Int ?? -1)
            }
            expectLimit(
                try await client.book(student, room: Room.seminarA101, date: h.day(4), "10:00", "11:00"),
                "Students can have at most 3 upcoming bookings at once")
            // Another student is not affected.
            #expect(try await client.book(try await h.token(.student, "302"), room: Room.seminarA101, date: h.day(4), "10:00", "11:00").status == .created)
            // Cancelling one makes room for another.
            #expect(try await client.delete("/bookings/\(ids[0])", student).status == .noContent)
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(5), "10:00", "11:00").status == .created)
            // Bookings that are over no longer count.
            h.clock.advance(by: 3 * 86_400)
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(6), "10:00", "11:00").status == .created)
        }
    }

    @Test func facultyHoldAtMostTwentyUpcomingBookings() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            for day in 1...20 {
                #expect(try await client.book(faculty, room: Room.seminarA101, date: h.day(day), "10:00", "11:00").status == .created)
            }
            expectLimit(
                try await client.book(faculty, room: Room.seminarA101, date: h.day(21), "10:00", "11:00"),
                "Faculty can have at most 20 upcoming bookings at once")
        }
    }

    @Test func aSeriesCountsEveryWeekTowardsTheUpcomingLimit() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            for day in 1...10 {
                #expect(try await client.book(faculty, room: Room.seminarA101, date: h.day(day), "10:00", "11:00").status == .created)
            }
            expectLimit(
                try await client.book(faculty, room: Room.seminarB201, date: h.day(1), "12:00", "13:00", extra: ["repeat_weeks": 11]),
                "this series adds 11")
            #expect(try await client.book(faculty, room: Room.seminarB201, date: h.day(1), "12:00", "13:00", extra: ["repeat_weeks": 10]).status == .created)
        }
    }

    @Test func onlyFacultyBookFacultyOnlyRoomsAndSeries() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            for room in [Room.lectureHall1, Room.computerLab] {
                let refused = try await client.book(student, room: room, date: h.day(1), "10:00", "11:00")
                #expect(refused.status == .forbidden)
                #expect(refused.problemCode == "role_not_allowed")
                #expect(refused.detail.contains("faculty only"))
                #expect(try await client.book(faculty, room: room, date: h.day(1), "10:00", "11:00").status == .created)
            }
            let series = try await client.book(student, room: Room.seminarA101, date: h.day(1), "10:00", "11:00", extra: ["repeat_weeks": 2])
            #expect(series.status == .forbidden)
            #expect(series.problemCode == "role_not_allowed")
            #expect(try await client.book(faculty, room: Room.seminarA101, date: h.day(1), "12:00", "13:00", extra: ["repeat_weeks": 2]).status == .created)
            // Nothing was stored for the refused requests.
            #expect(try await client.get("/bookings", student).headers[.totalCount] == "0")
        }
    }

    @Test func repeatWeeksMustBeFromTwoToFifteen() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            for weeks in [-1, 0, 1, 16] {
                let response = try await client.book(faculty, room: Room.seminarA101, date: h.day(1), "10:00", "11:00", extra: ["repeat_weeks": weeks])
                #expect(response.status == .unprocessableContent, "\(weeks)")
                #expect(response.detail.hasPrefix("repeat_weeks:"))
            }
            let fifteen = try await client.book(faculty, room: Room.seminarA101, date: h.day(1), "10:00", "11:00", extra: ["repeat_weeks": 15])
            #expect(fifteen.status == .created)
            #expect((fifteen.json["bookings"] as? [JSONObject])?.count == 15)
        }
    }

    @Test func adminsAndTechniciansCannotBookAtAll() async throws {
        let h = try await BookingHarness()
        try await h.app.test(.router) { client in
            for role in [Role.admin, .technician] {
                let token = try await h.token(role, role == .admin ? "901" : "904")
                let response = try await client.book(token, room: Room.seminarA101, date: h.day(1), "10:00", "11:00")
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "role_not_allowed")
                for uri in ["/bookings", "/bookings/calendar.ics", "/bookings/1"] {
                    #expect(try await client.get(uri, token).status == .forbidden, "\(uri)")
                }
                #expect(try await client.delete("/bookings/1", token).status == .forbidden)
                // Both may still look at rooms and availability.
                #expect(try await client.get("/rooms", token).status == .ok)
                #expect(try await client.get("/bookings/available?date=\(h.day(1))", token).status == .ok)
            }
        }
    }
}
