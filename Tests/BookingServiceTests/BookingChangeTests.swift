import AsyncHTTPClient
import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// `PATCH /bookings/{id}`: moving a booking (or the rest of its series) to another slot, day or
/// room, or changing its purpose — all at once or not at all, under the same rules as a new booking.
@Suite struct BookingChangeTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func aMovedBookingFreesItsOldSlotAndHoldsTheNewOne(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        try await h.app.test(.router) { client in
            let made = try await client.book(student, room: Room.seminarA101, date: h.day(2), "10:00", "11:00", purpose: "Revision")
            let id = try #require(made.json["id"] as? Int)
            #expect(made.json["updated_at"] is NSNull)

            let moved = try await client.change(id, student, ["room_id": Room.seminarB201, "start_time": "14:00", "end_time": "16:00"])
            #expect(moved.status == .ok)
            #expect(moved.json["id"] as? Int == id)
            #expect(moved.json["room_id"] as? Int == Room.seminarB201)
            #expect(moved.json["start_time"] as? String == "14:00")
            #expect(moved.json["end_time"] as? String == "16:00")
            #expect(moved.json["purpose"] as? String == "Revision")
            #expect(moved.json["updated_at"] as? String != nil)

            // The old slot is free, the new one is taken.
            #expect(try await client.book(other, room: Room.seminarA101, date: h.day(2), "10:00", "11:00").status == .created)
            let refused = try await client.book(other, room: Room.seminarB201, date: h.day(2), "15:00", "16:00")
            #expect(refused.status == .conflict)
            #expect(refused.detail.contains("14:00–16:00"))

            // The booker is told, with what it was and what it is now; calendars see a new SEQUENCE.
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all()
            let notice = try #require(events.first { $0.payload.contains("Booking changed") })
            #expect(notice.payload.contains("Seminar Room A101"))
            #expect(notice.payload.contains("is now Seminar Room B201"))
            #expect(notice.payload.contains(#""user_id":301"#))
            let feed = try await client.get("/bookings/calendar.ics", student)
            let calendar = String(buffer: feed.body)
            #expect(calendar.contains("SEQUENCE:1\r\n"))
            #expect(calendar.contains("DTSTART:\(h.day(2).replacingOccurrences(of: "-", with: ""))T140000Z"))

            // Only the purpose: the slot stays, the revision goes up again.
            let renamed = try await client.change(id, student, ["purpose": "Group revision"])
            #expect(renamed.status == .ok)
            #expect(renamed.json["purpose"] as? String == "Group revision")
            #expect(renamed.json["start_time"] as? String == "14:00")
            #expect(String(buffer: try await client.get("/bookings/calendar.ics", student).body).contains("SEQUENCE:2\r\n"))
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aChangeOntoATakenSlotChangesNothing(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        try await h.app.test(.router) { client in
            let mine = try #require(try await client.book(student, room: Room.studyL1, date: h.day(1), "09:00", "10:00").json["id"] as? Int)
            #expect(try await client.book(other, room: Room.studyL1, date: h.day(1), "11:00", "13:00").status == .created)
            let notices = try await h.outboxCount()

            let refused = try await client.change(mine, student, ["start_time": "12:00", "end_time": "13:00", "purpose": "Moved"])
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "booking_conflict")
            #expect(refused.detail.hasSuffix("11:00–13:00, so your booking was not changed."))
            let unchanged = try await client.get("/bookings/\(mine)", student)
            #expect(unchanged.json["start_time"] as? String == "09:00")
            #expect(unchanged.json["purpose"] as? String == "Study group")
            #expect(unchanged.json["updated_at"] is NSNull)
            #expect(try await h.outboxCount() == notices)
            // A move that overlaps only its own old slot is no conflict.
            #expect(try await client.change(mine, student, ["start_time": "09:00", "end_time": "11:00"]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theResultIsCheckedLikeANewBooking(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let stranger = try await h.token(.student, "399")
        try await h.app.test(.router) { client in
            let id = try #require(try await client.book(student, room: Room.studyL1, date: h.day(1), "09:00", "10:00").json["id"] as? Int)
            let refusals: [(JSONObject, HTTPResponse.Status, String)] = [
                (["room_id": Room.lectureHall1], .forbidden, "role_not_allowed"),
                (["end_time": "12:00"], .unprocessableContent, "booking_limit"),
                (["date": h.day(15)], .unprocessableContent, "booking_limit"),
                (["date": h.day(-1)], .unprocessableContent, "validation_error"),
                (["start_time": "09:30", "end_time": "10:30"], .unprocessableContent, "validation_error"),
                (["start_time": "07:00"], .unprocessableContent, "validation_error"),
                (["room_id": 9999], .unprocessableContent, "validation_error"),
                (["purpose": "  "], .unprocessableContent, "validation_error"),
                ([:], .unprocessableContent, "validation_error"),
                (["apply_to": "following", "purpose": "x"], .unprocessableContent, "validation_error"),
                (["apply_to": "always", "purpose": "x"], .unprocessableContent, "validation_error"),
            ]
            for (body, status, code) in refusals {
                let response = try await client.change(id, student, body)
                #expect(response.status == status, "\(body)")
                #expect(response.problemCode == code, "\(body): \(response.detail)")
            }
            #expect(try await client.change(id, stranger, ["purpose": "Mine now"]).status == .notFound)
            let unchanged = try await client.get("/bookings/\(id)", student)
            #expect(unchanged.json["room_id"] as? Int == Room.studyL1)
            #expect(unchanged.json["start_time"] as? String == "09:00")
            #expect(unchanged.json["updated_at"] is NSNull)
            #expect(try await h.outboxCount() == 1)

            // Cancelled, or begun: no longer changeable.
            let later = try #require(try await client.book(student, room: Room.studyL1, date: h.day(0), "10:00", "11:00").json["id"] as? Int)
            #expect(try await client.delete("/bookings/\(id)", student).status == .noContent)
            #expect(try await client.change(id, student, ["purpose": "x"]).problemCode == "booking_cancelled")
            h.clock.advance(by: 3_600 + 60)
            let begun = try await client.change(later, student, ["end_time": "12:00"])
            #expect(begun.status == .conflict)
            #expect(begun.problemCode == "booking_started")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func thisAndFollowingMovesTheRestOfASeriesTogether(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let faculty = try await h.token(.faculty, "201")
        let colleague = try await h.token(.faculty, "202")
        try await h.app.test(.router) { client in
            let series = try await client.book(
                faculty, room: Room.seminarA101, date: h.day(4), "10:00", "11:00", purpose: "Seminar", extra: ["repeat_weeks": 4])
            let ids = try #require(series.json["bookings"] as? [JSONObject]).compactMap { $0["id"] as? Int }
            #expect(ids.count == 4)

            // One week taken in the new room refuses the whole change.
            #expect(try await client.book(colleague, room: Room.seminarB201, date: h.day(25), "10:00", "11:00").status == .created)
            let refused = try await client.change(ids[1], faculty, ["room_id": Room.seminarB201, "apply_to": "following"])
            #expect(refused.status == .conflict)
            #expect(refused.detail.hasSuffix("so none of the 3 bookings were changed."))
            #expect(try await client.get("/bookings", faculty).jsonArray.allSatisfy { $0["room_id"] as? Int == Room.seminarA101 })

            // A week later, from the second week on: each lands on the next one's old day.
            let moved = try await client.change(ids[1], faculty, ["date": h.day(18), "apply_to": "following"])
            #expect(moved.status == .ok)
            #expect(Set(moved.json.keys) == ["series_id", "bookings"])
            let dates = try #require(moved.json["bookings"] as? [JSONObject]).map { $0["date"] as? String }
            #expect(dates == [h.day(18), h.day(25), h.day(32)])
            let all = try await client.get("/bookings", faculty).jsonArray
            #expect(all.map { $0["date"] as? String } == [h.day(4), h.day(18), h.day(25), h.day(32)])
            #expect(all.map { $0["id"] as? Int } == ids)
            #expect(all.allSatisfy { $0["series_id"] as? String == series.json["series_id"] as? String })
            // One notice for the three.
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all()
            #expect(events.filter { $0.payload.contains("Booking changed") }.count == 1)
            #expect(events.contains { $0.payload.contains("3 bookings of your weekly series are changed") })

            // "this": only the one named; and earlier this time, each shifted a day back.
            #expect(try await client.change(ids[0], faculty, ["start_time": "15:00", "end_time": "16:00"]).json["start_time"] as? String == "15:00")
            let back = try await client.change(ids[1], faculty, ["date": h.day(17), "apply_to": "following"])
            #expect(back.status == .ok)
            let after = try await client.get("/bookings", faculty).jsonArray
            #expect(after.map { $0["date"] as? String } == [h.day(4), h.day(17), h.day(24), h.day(31)])
            #expect(after.map { $0["start_time"] as? String } == ["15:00", "10:00", "10:00", "10:00"])
        }
    }

    @Test(arguments: TestDatabase.backends)
    func thisAndFollowingChangesOnlyWhatIsSentAndEachWeekKeepsTheRest(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let faculty = try await h.token(.faculty, "201")
        try await h.app.test(.router) { client in
            let series = try await client.book(
                faculty, room: Room.seminarA101, date: h.day(4), "10:00", "11:00", purpose: "Seminar", extra: ["repeat_weeks": 3])
            let ids = try #require(series.json["bookings"] as? [JSONObject]).compactMap { $0["id"] as? Int }
            // The third week moved on its own: another room and time.
            #expect(try await client.change(ids[2], faculty, ["room_id": Room.seminarB201, "start_time": "14:00", "end_time": "16:00"]).status == .ok)
            // From the first week on, only the purpose: the third keeps its room and times.
            let renamed = try await client.change(ids[0], faculty, ["purpose": "Reading group", "apply_to": "following"])
            #expect(renamed.status == .ok)
            let all = try await client.get("/bookings", faculty).jsonArray
            #expect(all.map { $0["purpose"] as? String } == ["Reading group", "Reading group", "Reading group"])
            #expect(all.map { $0["room_id"] as? Int } == [Room.seminarA101, Room.seminarA101, Room.seminarB201])
            #expect(all.map { $0["start_time"] as? String } == ["10:00", "10:00", "14:00"])
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all()
            #expect(events.contains { $0.payload.contains("The purpose of 3 bookings of your weekly series") })
            // Only the start, not before each week's own end: 10:30 would be off the grid, 11:00 meets week one's end.
            let late = try await client.change(ids[0], faculty, ["start_time": "11:00", "apply_to": "following"])
            #expect(late.status == .unprocessableContent)
            #expect(late.detail == "end_time: the booking ends at 11:00, not after the new start_time 11:00; send end_time too")
            // A field the request does not take is refused, not ignored.
            let misspelt = try await client.change(ids[0], faculty, ["start": "12:00", "purpose": "x"])
            #expect(misspelt.status == .unprocessableContent)
            #expect(misspelt.detail.hasPrefix("start: is not a field of this request"))
            #expect(try await client.get("/bookings/\(ids[0])", faculty).json["purpose"] as? String == "Reading group")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func changesRacingForOneSlotLeaveExactlyOneThere(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await h.app.test(.live) { client in
                var racers: [(token: String, id: Int)] = []
                for index in 0..<8 {
                    let token = try await h.token(.faculty, "\(500 + index)")
                    let made = try await client.book(
                        token, room: Room.seminarB201, date: h.day(3), "\(8 + index):00".leftPadded(to: 5), "\(9 + index):00".leftPadded(to: 5))
                    racers.append((token, try #require(made.json["id"] as? Int)))
                }
                let port = try #require(client.port)
                let everyone = racers
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for racer in everyone {
                        group.addTask {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/bookings/\(racer.id)")
                            request.method = .PATCH
                            request.headers.add(name: "Authorization", value: "Bearer \(racer.token)")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(jsonBody(["room_id": Room.seminarA101, "start_time": "17:00", "end_time": "18:00"]))
                            let response = try await http.execute(request, timeout: .seconds(60))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            return response.status.code
                        }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == 1)
                #expect(statuses.filter { $0 == 409 }.count == everyone.count - 1)
                let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
                let occupancy = try await repository.occupancy(roomID: Room.seminarA101, from: .distantPast, to: .distantFuture)
                #expect(occupancy.first?.busy.count == 1)
                // The seven that lost are where they were.
                let staying = try await repository.occupancy(roomID: Room.seminarB201, from: .distantPast, to: .distantFuture)
                #expect(staying.first?.busy.count == 7)
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func aChangeReadBeforeAnotherIsRefusedWhole(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            let id = try #require(try await client.book(student, room: Room.studyL1, date: h.day(1), "09:00", "10:00").json["id"] as? Int)
            let repository = FluentBookingRepository(provider: h.database, logger: h.logger)
            let read = try #require(try await repository.find(id: id))
            let planner = BookingPlanner(grid: SlotGrid(settings: h.runtime.settings))
            let limits = try BookingLimits.of(.student)
            let stale = try planner.change([read], to: BookingChangeRequest(startTime: "15:00", endTime: "16:00"), limits: limits, now: h.clock.now)
            // Someone changes it first.
            #expect(try await client.change(id, student, ["purpose": "Changed first"]).status == .ok)
            await #expect(throws: BookingStoreError.changedMeanwhile(read)) {
                _ = try await repository.change(stale, limits: limits, now: h.clock.now)
            }
            let kept = try await client.get("/bookings/\(id)", student)
            #expect(kept.json["start_time"] as? String == "09:00")
            #expect(kept.json["purpose"] as? String == "Changed first")
        }
    }
}

extension TestClientProtocol {
    /// PATCH /bookings/{id} with `body`.
    func change(_ id: Int, _ token: String, _ body: JSONObject) async throws -> TestResponse {
        try await execute(uri: "/bookings/\(id)", method: .patch, headers: bearer(token), body: jsonBody(body)) { $0 }
    }
}
