import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// docs/contract.md §6 bookings through HTTP, in process, on a real SQLite file.
@Suite struct BookingEndpointTests {
    typealias Room = BookingHarness.SeededRoom

    @Test func aBookingHasTheContractShapeAndQueuesANoticeForTheBooker() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "42")
        try await h.app.test(.router) { client in
            let response = try await client.book(student, room: Room.seminarB201, date: h.day(4), "10:00", "12:00", purpose: "Thesis review")
            #expect(response.status == .created)
            // The contract's fields, when it was last changed (null: never; PATCH /bookings/{id}), why and by whom it was
            // cancelled, its check-in (null: its room requires none) and its approval (null: its room requires none).
            #expect(
                Set(response.json.keys) == [
                    "id", "room_id", "user_id", "date", "start_time", "end_time", "purpose", "status", "series_id", "created_at", "updated_at",
                    "cancel_reason", "cancelled_by", "check_in", "approval",
                ])
            #expect(response.json["check_in"] is NSNull && response.json["cancelled_by"] is NSNull && response.json["approval"] is NSNull)
            #expect(response.json["updated_at"] is NSNull)
            #expect(response.json["cancel_reason"] is NSNull)
            #expect(response.json["room_id"] as? Int == Room.seminarB201)
            #expect(response.json["user_id"] as? Int == 42)
            #expect(response.json["date"] as? String == "2026-12-01")
            #expect(response.json["start_time"] as? String == "10:00" && response.json["end_time"] as? String == "12:00")
            #expect(response.json["status"] as? String == "confirmed")
            #expect(response.json["series_id"] is NSNull)
            #expect(response.json["created_at"] as? String == "2026-11-27T09:00:00Z")
            let id = try #require(response.json["id"] as? Int)
            #expect(response.headers[.location] == "/bookings/\(id)")
            #expect(try await client.get("/bookings/\(id)", student).json["purpose"] as? String == "Thesis review")

            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all()
            #expect(events.count == 1)
            #expect(events.first?.destination == "notification")
            #expect(events.first?.payload.contains(#""user_id":42"#) == true)
            #expect(events.first?.payload.contains("Booking confirmed") == true)
            #expect(events.first?.payload.contains("Seminar Room B201") == true)
            let payload = try JSONSerialization.jsonObject(with: Data(try #require(events.first?.payload).utf8)) as? [String: Any]
            let link = payload?["link"] as? [String: Any]
            #expect(link?["kind"] as? String == "booking" && link?["id"] as? Int == id, "the notice links to the booking")
        }
    }

    @Test func theLimitsAreShownBeforeARefusalWithWhatIsInUse() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "42")
        let faculty = try await h.token(.faculty, "7")
        let admin = try await h.token(.admin, "1")
        try await h.app.test(.router) { client in
            let before = try await client.get("/bookings/limits", student)
            #expect(before.status == .ok)
            #expect(before.json["max_minutes"] as? Int == 120 && before.json["days_ahead"] as? Int == 14)
            #expect(before.json["max_upcoming"] as? Int == 3 && before.json["upcoming"] as? Int == 0)
            #expect(before.json["faculty_only_rooms"] as? Bool == false && before.json["series"] as? Bool == false)
            #expect(try await client.book(student, room: Room.seminarB201, date: h.day(4), "10:00", "11:00", purpose: "Study").status == .created)
            #expect(try await client.get("/bookings/limits", student).json["upcoming"] as? Int == 1)
            let staff = try await client.get("/bookings/limits", faculty)
            #expect(staff.json["max_minutes"] as? Int == 480 && staff.json["series"] as? Bool == true && staff.json["upcoming"] as? Int == 0)
            #expect(try await client.get("/bookings/limits", admin).status == .forbidden)
        }
    }

    @Test func invalidRequestsAre422sNamingTheField() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            let cases: [(String, String, String, String, Int)] = [
                // date, start, end, field, room
                (h.day(-1), "10:00", "11:00", "date:", Room.seminarA101),
                (h.day(0), "08:00", "09:00", "start_time:", Room.seminarA101),  // it is 09:00 now
                (h.day(0), "09:00", "10:00", "start_time:", Room.seminarA101),  // begun this very minute
                (h.day(1), "11:00", "10:00", "end_time:", Room.seminarA101),
                (h.day(1), "10:00", "10:00", "end_time:", Room.seminarA101),
                (h.day(1), "07:00", "08:00", "start_time:", Room.seminarA101),
                (h.day(1), "17:00", "19:00", "end_time:", Room.seminarA101),
                (h.day(1), "18:00", "19:00", "start_time:", Room.seminarA101),
                (h.day(1), "10:30", "11:30", "start_time:", Room.seminarA101),
                (h.day(1), "10:00", "10:30", "end_time:", Room.seminarA101),
                ("2026-02-30", "10:00", "11:00", "date:", Room.seminarA101),
                ("01/12/2026", "10:00", "11:00", "date:", Room.seminarA101),
                (h.day(1), "25:00", "26:00", "start_time:", Room.seminarA101),
                (h.day(1), "10:00", "1100", "end_time:", Room.seminarA101),
                (h.day(1), "10:00", "11:00", "room_id:", 999),
            ]
            for (date, start, end, field, room) in cases {
                let response = try await client.book(student, room: room, date: date, start, end)
                #expect(response.status == .unprocessableContent, "\(date) \(start)-\(end)")
                #expect(response.isProblem)
                #expect(response.detail.hasPrefix(field), "\(response.detail)")
            }
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(1), "10:00", "11:00", purpose: "   ").detail.hasPrefix("purpose:"))
            #expect(try await client.book(faculty, room: 999, date: h.day(1), "10:00", "11:00", extra: ["repeat_weeks": 3]).detail.hasPrefix("room_id:"))
            #expect(try await client.get("/bookings", student).headers[.totalCount] == "0")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func backToBackIsAllowedButOverlapIsAConflictAPersonUnderstands(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let first = try await h.token(.student, "301")
        let second = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            #expect(try await client.book(first, room: Room.seminarB201, date: h.day(4), "10:00", "11:00").status == .created)
            #expect(try await client.book(second, room: Room.seminarB201, date: h.day(4), "11:00", "12:00").status == .created)
            #expect(try await client.book(second, room: Room.seminarB201, date: h.day(4), "09:00", "10:00").status == .created)
            for (start, end) in [("10:00", "11:00"), ("08:00", "12:00"), ("10:00", "13:00")] {
                let clash = try await client.book(second, room: Room.seminarB201, date: h.day(4), start, end)
                #expect(clash.status == .conflict)
                #expect(clash.problemCode == "booking_conflict")
                #expect(clash.detail.hasPrefix("Seminar Room B201 is already booked "), "\(clash.detail)")
                #expect(clash.detail.contains(" Tuesday 1 December 2026, "))
            }
            let exact = try await client.book(second, room: Room.seminarB201, date: h.day(4), "10:00", "11:00")
            #expect(exact.detail == "Seminar Room B201 is already booked Tuesday 1 December 2026, 10:00–11:00.")
            // Same time, another room: fine.
            #expect(try await client.book(second, room: Room.seminarA101, date: h.day(4), "10:00", "11:00").status == .created)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func cancellingOwnIs204AnotherUsersIs404AndTheSlotIsFreedForOthers(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let owner = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        try await h.app.test(.router) { client in
            let id = try #require(try await client.book(owner, room: Room.seminarB201, date: h.day(2), "14:00", "16:00").json["id"] as? Int)
            #expect(try await client.book(other, room: Room.seminarB201, date: h.day(2), "15:00", "16:00").status == .conflict)
            #expect(try await client.delete("/bookings/\(id)", other).status == .notFound)
            #expect(try await client.get("/bookings/\(id)", other).status == .notFound)
            for missing in ["999999", "abc", "-1"] {
                #expect(try await client.delete("/bookings/\(missing)", owner).status == .notFound)
            }
            #expect(try await client.delete("/bookings/\(id)", owner).status == .noContent)
            #expect(try await client.get("/bookings/\(id)", owner).json["status"] as? String == "cancelled")
            #expect(try await client.get("/bookings/\(id)", owner).json["cancelled_by"] as? String == "owner")
            // Cancelling again changes nothing and sends no second notice.
            #expect(try await client.delete("/bookings/\(id)", owner).status == .noContent)
            #expect(try await h.outboxCount() == 2)
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).sort(\.$createdAt).all()
            #expect(events.contains { $0.payload.contains("Booking cancelled") && $0.payload.contains(#""user_id":301"#) })
            // The slot is free again.
            #expect(try await client.book(other, room: Room.seminarB201, date: h.day(2), "15:00", "16:00").status == .created)
            #expect(try await client.get("/bookings?status=cancelled", owner).headers[.totalCount] == "1")
            #expect(try await client.get("/bookings?status=confirmed", owner).headers[.totalCount] == "0")
        }
    }

    @Test func aBookingThatHasBegunCannotBeCancelled() async throws {
        let h = try await BookingHarness()
        let owner = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            let id = try #require(try await client.book(owner, room: Room.seminarB201, date: h.day(0), "10:00", "11:00").json["id"] as? Int)
            h.clock.advance(by: 3600 + 60)
            let response = try await client.delete("/bookings/\(id)", owner)
            #expect(response.status == .conflict)
            #expect(response.problemCode == "booking_started")
        }
    }

    @Test func theCallersListIsFilteredPagedAndInDateOrder() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "201")
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            for (day, start, end) in [(9, "10:00", "11:00"), (2, "15:00", "16:00"), (2, "09:00", "10:00"), (5, "10:00", "11:00")] {
                #expect(try await client.book(faculty, room: Room.seminarA101, date: h.day(day), start, end).status == .created)
            }
            #expect(try await client.book(student, room: Room.studyL1, date: h.day(3), "10:00", "11:00").status == .created)
            let all = try await client.get("/bookings", faculty)
            #expect(all.headers[.totalCount] == "4")
            #expect(
                all.jsonArray.map { "\($0["date"] as? String ?? "") \($0["start_time"] as? String ?? "")" }
                    == ["\(h.day(2)) 09:00", "\(h.day(2)) 15:00", "\(h.day(5)) 10:00", "\(h.day(9)) 10:00"])
            let window = try await client.get("/bookings?from=\(h.day(3))&to=\(h.day(9))", faculty)
            #expect(window.headers[.totalCount] == "2")
            let page = try await client.get("/bookings?limit=1&offset=1", faculty)
            #expect(page.jsonArray.count == 1 && page.headers[.totalCount] == "4")
            #expect(page.jsonArray.first?["start_time"] as? String == "15:00")
            for bad in ["from=2026-02-30", "to=soon", "status=maybe", "limit=-1", "offset=x", "from=\(h.day(5))&to=\(h.day(1))"] {
                #expect(try await client.get("/bookings?\(bad)", faculty).status == .unprocessableContent, "\(bad)")
            }
            #expect(try await client.get("/bookings", student).headers[.totalCount] == "1")
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocumentWithItsStatuses() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let logger = runtime.logger(for: .booking)
        let router = buildRouter(
            runtime: runtime, rooms: FluentRoomRepository(provider: database, logger: logger),
            bookings: FluentBookingRepository(provider: database, logger: logger),
            closures: FluentRoomClosureRepository(provider: database, logger: logger, changes: BookingChanges()),
            reminders: FluentBookingRepository(provider: database, logger: logger),
            checkIns: FluentBookingRepository(provider: database, logger: logger),
            approvals: FluentBookingRepository(provider: database, logger: logger),
            waitlist: FluentWaitlistRepository(provider: database, logger: logger, changes: BookingChanges()),
            feeds: FluentCalendarFeedRepository(provider: database, logger: logger),
            accounts: UserManagementAccounts(client: runtime.serviceClient(for: .booking), logger: logger), now: Date.init, databaseCheck: {}
        )
        #expect(router.routes.count >= 12)
        #expect(OpenAPICoverage.problems(router: router, spec: BookingOpenAPI.document) == [])
        #expect(try JSONSerialization.jsonObject(with: Data(BookingOpenAPI.document.utf8)) is [String: Any])
        await database.shutdown()
    }
}
