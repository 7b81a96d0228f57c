import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Weekly series (all or nothing) and the availability grid.
@Suite struct SeriesAndAvailabilityTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func aWeeklySeriesIsBookedAndItsRestCancelledTogether(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let faculty = try await h.token(.faculty, "201")
        let other = try await h.token(.faculty, "202")
        try await h.app.test(.router) { client in
            let response = try await client.book(
                faculty, room: Room.lectureHall1, date: h.day(4), "10:00", "12:00", purpose: "Algorithms", extra: ["repeat_weeks": 4])
            #expect(response.status == .created)
            #expect(Set(response.json.keys) == ["series_id", "bookings"])
            let seriesID = try #require(response.json["series_id"] as? String)
            let bookings = try #require(response.json["bookings"] as? [JSONObject])
            #expect(bookings.map { $0["date"] as? String } == [h.day(4), h.day(11), h.day(18), h.day(25)])
            #expect(bookings.allSatisfy { $0["series_id"] as? String == seriesID && $0["start_time"] as? String == "10:00" })
            // One notice for the series.
            #expect(try await h.outboxCount() == 1)

            #expect(try await client.delete("/bookings/series/\(seriesID)", other).status == .notFound)
            #expect(try await client.delete("/bookings/series/no-such-series", faculty).status == .notFound)
            // Once the first week is over, cancelling the series cancels the rest only.
            h.clock.advance(by: 5 * 86_400)
            #expect(try await client.delete("/bookings/series/\(seriesID)", faculty).status == .noContent)
            let statuses = try await client.get("/bookings", faculty).jsonArray.map { $0["status"] as? String }
            #expect(statuses == ["confirmed", "cancelled", "cancelled", "cancelled"])
            #expect(try await h.outboxCount() == 2)
            // The freed weeks can be booked again.
            #expect(try await client.book(other, room: Room.lectureHall1, date: "2026-12-08", "10:00", "11:00").status == .created)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func oneConflictingWeekRefusesTheWholeSeriesNamingTheDate(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let faculty = try await h.token(.faculty, "201")
        let colleague = try await h.token(.faculty, "202")
        try await h.app.test(.router) { client in
            #expect(try await client.book(colleague, room: Room.seminarB201, date: h.day(18), "11:00", "12:00").status == .created)
            let refused = try await client.book(faculty, room: Room.seminarB201, date: h.day(4), "10:00", "12:00", extra: ["repeat_weeks": 6])
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "booking_conflict")
            #expect(
                refused.detail
                    == "Seminar Room B201 is already booked \(try #require(CalendarDate(h.day(18))).spoken), 11:00–12:00, so none of the 6 weekly bookings were made."
            )
            #expect(try await client.get("/bookings", faculty).headers[.totalCount] == "0")
            #expect(try await h.outboxCount() == 1)
            // Stopping before the clash works.
            #expect(try await client.book(faculty, room: Room.seminarB201, date: h.day(4), "10:00", "12:00", extra: ["repeat_weeks": 2]).status == .created)
        }
    }

    /// The grid is kept between requests: a booking, a cancelled series, a slot beginning and a
    /// renamed room each show at once in the next answer.
    @Test(arguments: TestDatabase.backends)
    func aKeptGridNeverOutlivesAChange(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        let admin = try await h.token(.admin, "101")
        @Sendable func taken(_ response: TestResponse) -> [String] {
            response.jsonArray.filter { $0["available"] as? Bool == false }.compactMap { $0["start_time"] as? String }
        }
        try await h.app.test(.router) { client in
            let day = "/bookings/available?room_id=\(Room.seminarB201)&date=\(h.day(1))"
            #expect(taken(try await client.get(day, student)) == [])
            #expect(taken(try await client.get(day, student)) == [], "asked twice, the same answer")
            #expect(try await client.book(student, room: Room.seminarB201, date: h.day(1), "10:00", "11:00").status == .created)
            #expect(taken(try await client.get(day, student)) == ["10:00"])
            // Another page of the same day is another answer, also fresh.
            #expect(taken(try await client.get(day + "&offset=2&limit=1", student)) == ["10:00"])

            // A weekly series and its cancellation move the grids of its later days too.
            let later = "/bookings/available?room_id=\(Room.seminarB201)&date=\(h.day(8))"
            #expect(taken(try await client.get(later, faculty)) == [])
            let series = try await client.book(faculty, room: Room.seminarB201, date: h.day(1), "14:00", "15:00", extra: ["repeat_weeks": 2])
            #expect(series.status == .created)
            #expect(taken(try await client.get(later, faculty)) == ["14:00"])
            let seriesID = try #require(series.json["series_id"] as? String)
            #expect(try await client.delete("/bookings/series/\(seriesID)", faculty).status == .noContent)
            #expect(taken(try await client.get(later, faculty)) == [])

            // Today at 09:00: 08:00 and 09:00 have begun. Twenty minutes past ten, 10:00 has too.
            let today = "/bookings/available?room_id=\(Room.seminarA101)"
            #expect(taken(try await client.get(today, student)) == ["08:00", "09:00"])
            h.clock.advance(by: 80 * 60)
            #expect(taken(try await client.get(today, student)) == ["08:00", "09:00", "10:00"])

            // A renamed room is named so in every day's grid at once.
            let all = "/bookings/available?date=\(h.day(1))"
            #expect(try await client.get(all, admin).jsonArray.contains { $0["room_name"] as? String == "Seminar Room B201" })
            let renamed = try await client.execute(
                uri: "/rooms/\(Room.seminarB201)", method: .put, headers: bearer(admin), body: jsonBody(["name": "Seminar Room B201 (renamed)"])
            ) { $0 }
            #expect(renamed.status == .ok)
            #expect(try await client.get(all, admin).jsonArray.contains { $0["room_name"] as? String == "Seminar Room B201 (renamed)" })
        }
    }

    @Test(arguments: TestDatabase.backends)
    func availabilityOfOneRoomReflectsBookingsAndTheClock(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let admin = try await h.token(.admin, "101")
        try await h.app.test(.router) { client in
            let id = try #require(try await client.book(student, room: Room.seminarB201, date: h.day(1), "10:00", "12:00").json["id"] as? Int)
            #expect(try await client.book(student, room: Room.seminarB201, date: h.day(1), "17:00", "18:00").status == .created)
            let one = try await client.get("/bookings/available?room_id=\(Room.seminarB201)&date=\(h.day(1))", student)
            #expect(one.status == .ok)
            #expect(one.jsonArray.count == 10)
            #expect(Set(one.jsonArray.first?.keys.map { $0 } ?? []) == ["start_time", "end_time", "available"])
            #expect(one.jsonArray.first?["start_time"] as? String == "08:00" && one.jsonArray.last?["end_time"] as? String == "18:00")
            let taken = one.jsonArray.filter { $0["available"] as? Bool == false }.compactMap { $0["start_time"] as? String }
            #expect(taken == ["10:00", "11:00", "17:00"])

            let all = try await client.get("/bookings/available?date=\(h.day(1))", admin)
            #expect(all.jsonArray.count == 10)
            #expect(Set(all.jsonArray.first?.keys.map { $0 } ?? []) == ["room_id", "room_name", "slots"])
            let b201 = try #require(all.jsonArray.first { $0["room_id"] as? Int == Room.seminarB201 })
            #expect(b201["room_name"] as? String == "Seminar Room B201")
            #expect((b201["slots"] as? [JSONObject])?.filter { $0["available"] as? Bool == false }.count == 3)
            let a101 = try #require(all.jsonArray.first { $0["room_id"] as? Int == Room.seminarA101 })
            #expect((a101["slots"] as? [JSONObject])?.allSatisfy { $0["available"] as? Bool == true } == true)

            // Cancelling frees the slots.
            #expect(try await client.delete("/bookings/\(id)", student).status == .noContent)
            let after = try await client.get("/bookings/available?room_id=\(Room.seminarB201)&date=\(h.day(1))", student)
            #expect(after.jsonArray.filter { $0["available"] as? Bool == false }.count == 1)

            // Today: slots that have begun (it is 09:00) are not available.
            let today = try await client.get("/bookings/available?room_id=\(Room.seminarA101)", student)
            #expect(today.jsonArray.prefix(2).allSatisfy { $0["available"] as? Bool == false })
            #expect(today.jsonArray.dropFirst(2).allSatisfy { $0["available"] as? Bool == true })

            #expect(try await client.get("/bookings/available?room_id=999&date=\(h.day(1))", student).status == .notFound)
            #expect(try await client.get("/bookings/available?room_id=abc&date=\(h.day(1))", student).status == .unprocessableContent)
            #expect(try await client.get("/bookings/available?room_id=2&date=2026-02-30", student).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/bookings/available", method: .get) { $0 }.status == .unauthorized)
        }
    }

    @Test func availabilityInADaylightSavingZoneUsesThatDaysOffset() async throws {
        let h = try await BookingHarness { $0.campusTimeZone = TimeZone(identifier: "Europe/London") ?? $0.campusTimeZone }
        let faculty = try await h.token(.faculty, "201")
        // Tuesday 2027-03-23 is GMT; a weekly series reaches 2027-03-30, which is BST.
        h.clock.advance(by: 100 * 86_400)  // 2027-03-07
        try await h.app.test(.router) { client in
            let series = try await client.book(faculty, room: Room.seminarA101, date: "2027-03-23", "09:00", "10:00", extra: ["repeat_weeks": 2])
            #expect(series.status == .created)
            let records = try await BookingRecord.query(on: h.database.database(logger: h.logger)).sort(\.$startsAt).all()
            #expect(records.map { CampusJSONTimestamp.of($0.startsAt) } == ["2027-03-23T09:00:00Z", "2027-03-30T08:00:00Z"])
            for date in ["2027-03-23", "2027-03-30"] {
                let slots = try await client.get("/bookings/available?room_id=\(Room.seminarA101)&date=\(date)", faculty).jsonArray
                #expect(slots.filter { $0["available"] as? Bool == false }.compactMap { $0["start_time"] as? String } == ["09:00"], "\(date)")
            }
        }
    }
}

enum CampusJSONTimestamp {
    static func of(_ date: Date) -> String { CampusJSON.timestamp(date) }
}
