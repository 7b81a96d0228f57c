import BookingService
import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MaintenanceService

/// A ticket's `room_id` is checked against the booking catalogue, over HTTP.
@Suite struct TicketRoomTests {
    @Test func roomIdsComeFromTheBookingCatalogue() async throws {
        let base = await TestRuntime.make()
        let booking = try await BookingService.buildApplication(runtime: base, database: try TestDatabase.make(.sqlite))
        try await booking.test(.live) { bookingClient in
            var settings = base.settings
            settings.endpoints[.booking] = .init(host: "127.0.0.1", port: try #require(bookingClient.port))
            let runtime = ServiceRuntime(settings: settings, tokens: base.tokens, http: base.http)
            let maintenance = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
            let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
            try await maintenance.test(.router) { client in
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(student),
                    body: jsonBody(["title": "Projector dead", "description": "no picture", "location": "Seminar room", "room_id": 2])
                ) { response in
                    #expect(response.status == .created)
                    #expect(response.json["room_id"] as? Int == 2)
                }
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(student),
                    body: jsonBody(["title": "Projector dead", "description": "no picture", "location": "Seminar room", "room_id": 999])
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect((response.json["detail"] as? String)?.hasPrefix("room_id:") == true)
                }
                try await client.execute(uri: "/tickets/room-health", method: .get, headers: bearer(student)) { response in
                    #expect(response.jsonArray.count == 1)
                    #expect(response.jsonArray.first?["room_id"] as? Int == 2)
                }
            }
        }
    }
}

/// Rooms and tickets know each other (issue 19, point 10), over real HTTP between maintenance and
/// booking on both databases, with both services on one clock: 2026-11-27 09:00 UTC, a Friday.
@Suite struct TicketRoomBookingTests {
    static let start = Date(timeIntervalSince1970: 1_795_770_000)
    /// Seeded rooms: Seminar Room A101 (20 seats, projector and whiteboard), Study Room L1, Lecture Hall 1 (200 seats).
    static let seminarA101 = 1, studyL1 = 3, lectureHall1 = 8

    func withBookingAndMaintenance(
        _ backend: TestDatabase.Backend,
        _ body:
            @escaping @Sendable (_ booking: any TestClientProtocol, _ maintenance: any TestClientProtocol, ServiceRuntime, DatabaseProvider) async throws ->
            Void
    ) async throws {
        let base = await TestRuntime.make()
        let clock = TestClock(Self.start)
        let booking = try await BookingService.buildApplication(runtime: base, database: try TestDatabase.make(backend), now: { clock.now })
        try await booking.test(.live) { bookingClient in
            var settings = base.settings
            settings.endpoints[.booking] = .init(host: "127.0.0.1", port: try #require(bookingClient.port))
            let runtime = ServiceRuntime(settings: settings, tokens: base.tokens, http: base.http)
            let database = try TestDatabase.make(backend)
            let maintenance = try await MaintenanceService.buildApplication(runtime: runtime, database: database, now: { clock.now })
            try await maintenance.test(.router) { client in try await body(bookingClient, client, runtime, database) }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aBookedRoomRaisesItsFaultAndItsOwnersAreToldWhenItIsOutOfOrder(_ backend: TestDatabase.Backend) async throws {
        try await withBookingAndMaintenance(backend) { booking, maintenance, runtime, database in
            let faculty = try await TestRuntime.token(runtime, userID: "2", role: .faculty)
            let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
            let tech = try await TestRuntime.token(runtime, userID: "4", role: .technician)
            func book(_ token: String, room: Int, _ from: String, _ to: String, _ purpose: String) async throws {
                let body: JSONObject = ["room_id": room, "date": "2026-11-27", "start_time": from, "end_time": to, "purpose": purpose]
                try await booking.execute(uri: "/bookings", method: .post, headers: bearer(token), body: jsonBody(body)) {
                    #expect($0.status == .created, "\($0.text)")
                }
            }
            try await book(faculty, room: Self.lectureHall1, "10:00", "12:00", "Physics 101 lecture")
            try await book(student, room: Self.seminarA101, "11:00", "12:00", "Study group")

            func report(room: Int) async throws -> JSONObject {
                let body: JSONObject = ["title": "Projector flickers", "description": "The projector image flickers", "location": "Room", "room_id": room]
                return try await maintenance.execute(uri: "/tickets", method: .post, headers: bearer(student), body: jsonBody(body)) {
                    #expect($0.status == .created, "\($0.text)")
                    return $0.json
                }
            }
            let words = try await maintenance.execute(
                uri: "/triage", method: .post, headers: bearer(student),
                body: jsonBody(["title": "Projector flickers", "description": "The projector image flickers", "location": "Room"])
            ) { $0.json }
            let base = try #require(Priority(rawValue: words["priority"] as? String ?? ""))
            try #require(base == .p2 || base == .p3, "the words alone should read as P2 or P3, not \(base)")

            // The hall: 200 seats booked from 10:00, within a P1's four hours → P1, and why.
            let hall = try await report(room: Self.lectureHall1)
            #expect(hall["priority"] as? String == "P1")
            let signals = (hall["triage"] as? JSONObject)?["signals"] as? [String] ?? []
            #expect(signals.contains("rule: room booked before the \(base.rawValue) deadline, 200 seats → raised \(base.rawValue) → P1"), "\(signals)")
            let impact = try #require(hall["impact"] as? JSONObject)
            #expect((impact["people_affected_estimate"] as? Int ?? 0) >= 200)
            let uses = impact["bookings"] as? [JSONObject] ?? []
            #expect(uses.count == 1)
            // When and how many seats; never who booked it or why (the reporter reads the ticket too).
            #expect(uses.first?["seats"] as? Int == 200)
            #expect(Set(uses.first?.keys.map { $0 } ?? []) == ["starts_at", "ends_at", "seats"])
            #expect(uses.first?["starts_at"] as? String == "2026-11-27T10:00:00Z" && uses.first?["ends_at"] as? String == "2026-11-27T12:00:00Z")

            // The seminar room: 20 seats booked before the deadline → one level.
            let seminar = try await report(room: Self.seminarA101)
            #expect(seminar["priority"] as? String == Priority(level: base.level - 1)?.rawValue)
            // A room nobody booked: the words' priority, and an empty list of bookings.
            let quiet = try await report(room: Self.studyL1)
            #expect(quiet["priority"] as? String == base.rawValue)
            #expect(((quiet["impact"] as? JSONObject)?["bookings"] as? [JSONObject])?.isEmpty == true)

            // Out of order: the seminar room's owner is told of the nearest free room of its kind.
            let id = try #require(seminar["id"] as? Int)
            func patch(_ ticket: Int, _ body: JSONObject) async throws -> TestResponse {
                try await maintenance.execute(uri: "/tickets/\(ticket)", method: .patch, headers: bearer(tech), body: jsonBody(body)) { $0 }
            }
            #expect(try await patch(id, ["status": "in_progress"]).status == .ok)
            let marked = try await patch(id, ["room_out_of_order": true])
            #expect(marked.status == .ok, "\(marked.text)")
            #expect(marked.json["room_out_of_order"] as? Bool == true)
            let history = (marked.json["history"] as? [JSONObject] ?? []).compactMap { $0["change"] as? String }
            #expect(
                history.contains { $0.hasPrefix("Room marked out of order") && $0.hasSuffix("the owner of its 1 upcoming booking was told") }, "\(history)")
            let events = try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all()
            let told = events.filter { $0.payload.contains("Room out of order: Seminar Room A101") }
            #expect(told.count == 1)
            #expect(told.first?.payload.contains(#""user_id":3"#) == true)
            #expect(told.first?.payload.contains("Seminar Room B201 (Business School, 30 seats) is free then") == true, "\(told.first?.payload ?? "")")
            // Marking it again tells nobody twice.
            #expect(try await patch(id, ["room_out_of_order": true]).status == .ok)
            #expect(
                try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all().filter {
                    $0.payload.contains("Room out of order")
                }.count == 1)

            // Booking was told at once: nobody books into the room, or moves a booking to another
            // time in it, while it is out of order; its purpose may still change.
            let into: JSONObject = ["room_id": Self.seminarA101, "date": "2026-11-27", "start_time": "14:00", "end_time": "15:00", "purpose": "Tutoring"]
            try await booking.execute(uri: "/bookings", method: .post, headers: bearer(faculty), body: jsonBody(into)) { response in
                #expect(response.status == .conflict && response.problemCode == "room_out_of_order", "\(response.text)")
                #expect((response.json["detail"] as? String)?.contains("Seminar Room A101 is out of order until maintenance ticket #\(id) is resolved") == true)
            }
            let studentBooking = try await booking.execute(uri: "/bookings", method: .get, headers: bearer(student)) {
                try #require($0.jsonArray.first?["id"] as? Int)
            }
            try await booking.execute(
                uri: "/bookings/\(studentBooking)", method: .patch, headers: bearer(student), body: jsonBody(["start_time": "13:00", "end_time": "14:00"])
            ) { #expect($0.problemCode == "room_out_of_order", "\($0.text)") }
            try await booking.execute(uri: "/bookings/\(studentBooking)", method: .patch, headers: bearer(student), body: jsonBody(["purpose": "Revision"])) {
                #expect($0.status == .ok, "\($0.text)")
            }

            func health() async throws -> [JSONObject] {
                try await maintenance.execute(uri: "/tickets/room-health", method: .get, headers: bearer(student)) { $0.jsonArray }
            }
            #expect(try await health().first { $0["room_id"] as? Int == Self.seminarA101 }?["out_of_order"] as? Bool == true)
            #expect(try await health().first { $0["room_id"] as? Int == Self.lectureHall1 }?["out_of_order"] as? Bool == false)
            // A ticket without a room has nothing to mark; a resolved ticket gives the room back.
            let roomless = try await maintenance.execute(
                uri: "/tickets", method: .post, headers: bearer(student), body: jsonBody(["title": "Squeaky door", "description": "", "location": "Corridor"])
            ) { $0.json }
            #expect(try await patch(try #require(roomless["id"] as? Int), ["room_out_of_order": true]).problemCode == "no_room")
            let resolved = try await patch(id, ["status": "resolved", "resolution": "New projector lamp."])
            #expect(resolved.json["room_out_of_order"] as? Bool == false)
            #expect(try await health().first { $0["room_id"] as? Int == Self.seminarA101 } == nil)
            #expect(try await patch(id, ["room_out_of_order": true]).problemCode == "ticket_not_in_work")
            // Resolved: booking was told, and the room takes bookings again.
            try await booking.execute(uri: "/bookings", method: .post, headers: bearer(faculty), body: jsonBody(into)) {
                #expect($0.status == .created, "\($0.text)")
            }
        }
    }

    /// Booking down: a fault is still reported (without its room's bookings); marking the room out of
    /// order waits, since its owners could not be told.
    @Test func withBookingDownTheReportStandsAndTheMarkWaits() async throws {
        try await TicketEndpointTests().withMaintenance { client, t, _, _, _ in
            let ticket = try await client.execute(
                uri: "/tickets", method: .post, headers: bearer(t.student),
                body: jsonBody(["title": "Projector flickers", "description": "", "location": "Room A101", "room_id": 1])
            ) { response in
                #expect(response.status == .created)
                return response.json
            }
            #expect((ticket["impact"] as? JSONObject)?["bookings"] is NSNull)
            let id = try #require(ticket["id"] as? Int)
            try await client.execute(uri: "/tickets/\(id)", method: .patch, headers: bearer(t.tech), body: jsonBody(["room_out_of_order": true])) { response in
                #expect(response.status == .serviceUnavailable && response.isProblem)
            }
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.tech)) { response in
                #expect(response.json["room_out_of_order"] as? Bool == false)
            }
        }
    }
}

/// ``BookedRoomRule`` on its own: which faults a booking raises, and how far.
@Suite struct BookedRoomRuleTests {
    let now = Date(timeIntervalSince1970: 1_795_770_000)

    func triage(_ priority: Priority) -> TriageResult {
        TriageResult(
            priority: priority, category: "av_equipment", slaHours: priority.slaHours,
            impact: Impact(systems: ["projector"], safetyRisk: false, scope: .room, peopleAffectedEstimate: 1), confidence: 0.7,
            signals: ["model: \(priority.rawValue) 0.70"])
    }

    func schedule(seats: Int, from hours: Double, to end: Double) -> RoomSchedule {
        RoomSchedule(
            room: .init(id: 8, name: "Lecture Hall 1", building: "Main Building", capacity: seats),
            bookings: [
                .init(
                    id: 1, userId: WireID(2), startsAt: now.addingTimeInterval(hours * 3600), endsAt: now.addingTimeInterval(end * 3600), purpose: "Lecture",
                    alternative: nil)
            ])
    }

    @Test func bookingsWithinTheDeadlineRaiseP2AndP3() {
        let rule = { (p: Priority, s: RoomSchedule) in BookedRoomRule.apply(to: self.triage(p), schedule: s, now: self.now, clock: .aroundTheClock) }
        // A 200-seat hall booked in an hour: P3 → P1, with the reason and the seats as people affected.
        let hall = rule(.p3, schedule(seats: 200, from: 1, to: 3))
        #expect(hall.priority == .p1 && hall.slaHours == 4 && hall.impact.peopleAffectedEstimate == 200)
        #expect(hall.signals.last == "rule: room booked before the P3 deadline, 200 seats → raised P3 → P1")
        // The same hall booked in two days: within P3's 72 h, beyond P1's 4 h → one level.
        #expect(rule(.p3, schedule(seats: 200, from: 48, to: 50)).priority == .p2)
        // In use right now, a small room: one level, said so.
        let now = rule(.p2, schedule(seats: 20, from: -1, to: 1))
        #expect(now.priority == .p1 && now.signals.last == "rule: room in use now, 20 seats → raised P2 → P1")
        // Booked after the deadline: unchanged. Ended already: unchanged.
        #expect(rule(.p3, schedule(seats: 200, from: 80, to: 82)) == triage(.p3))
        #expect(rule(.p3, schedule(seats: 200, from: -3, to: -1)) == triage(.p3))
        // Cosmetic stays cosmetic; P0 and P1 are urgent already.
        for p in [Priority.p4, .p1, .p0] { #expect(rule(p, schedule(seats: 200, from: 1, to: 2)) == triage(p)) }
        // The impact lists at most five of the next bookings, with the room's seats.
        #expect(
            BookedRoomRule.uses(schedule(seats: 200, from: 1, to: 3), now: self.now) == [
                BookedUse(startsAt: self.now.addingTimeInterval(3600), endsAt: self.now.addingTimeInterval(3 * 3600), seats: 200)
            ])
    }
}
