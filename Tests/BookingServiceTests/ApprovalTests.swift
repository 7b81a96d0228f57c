import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Approval for restricted rooms (issue 19, point 4): a room can require its approver's (or an
/// admin's) approval; requests are pending, hold the slot against others, count toward the
/// booker's limits, and expire if nobody decides them in time.
@Suite struct ApprovalTests {
    typealias Room = BookingHarness.SeededRoom

    /// Faculty member 500 approves requests for the study room.
    static let approverID = "500"

    static func requireApproval(_ client: some TestClientProtocol, _ h: BookingHarness, room: Int, approver: String? = approverID) async throws {
        h.accounts.set(approverID, Person(name: "Dr Ada Approver", role: .faculty))
        let admin = try await h.token(.admin, "1")
        let answer = try await client.put(
            "/rooms/\(room)", admin, ["approval_required": true, "approver_id": approver.map { Int($0) ?? 0 } as Any? ?? NSNull()])
        #expect(answer.status == .ok, "\(answer.json)")
        #expect(answer.json["approval_required"] as? Bool == true)
    }

    /// 10:00 of `h.day(days)` as an instant.
    static func tenOClock(_ h: BookingHarness, _ days: Int) throws -> Date {
        let date = try #require(CalendarDate(h.day(days)))
        return CampusCalendar(timeZone: h.runtime.settings.campusTimeZone).instant(date, try #require(WallClockTime("10:00")))
    }

    static func notices(_ h: BookingHarness, _ title: String) async throws -> [String] {
        try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().map(\.payload).filter { $0.contains(title) }
    }

    @Test func aRequestHasUntilAPPROVAL_HOURSOrItsStartWhicheverIsSooner() {
        let rule = ApprovalRule(hours: 48)
        let now = BookingHarness.start
        #expect(rule.decideBy(now: now, startsAt: now.addingTimeInterval(7 * 86_400)) == now.addingTimeInterval(48 * 3600))
        #expect(rule.decideBy(now: now, startsAt: now.addingTimeInterval(3600)) == now.addingTimeInterval(3600))
        #expect(RoomApproval(approverID: "7").needsDecision(bookedBy: "7") == false)
        #expect(RoomApproval(approverID: "7").needsDecision(bookedBy: "8"))
        #expect(RoomApproval().audience == .role(.admin))
    }

    @Test(arguments: TestDatabase.backends)
    func aRequestHoldsItsSlotUntilItsApproverApprovesIt(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let other = try await h.token(.student, "302")
        let approver = try await h.token(.faculty, Self.approverID)
        let stranger = try await h.token(.faculty, "501")
        try await h.app.test(.router) { client in
            try await Self.requireApproval(client, h, room: Room.studyL1)
            let room = try await client.get("/rooms/\(Room.studyL1)", student).json
            #expect((room["approver"] as? [String: Any])?["name"] as? String == "Dr Ada Approver")

            let made = try await client.book(student, room: Room.studyL1, date: h.day(1), "10:00", "11:00", purpose: "Thesis defence rehearsal")
            #expect(made.status == .created)
            #expect(made.json["status"] as? String == "pending")
            let id = try #require(made.json["id"] as? Int)
            let approval = try #require(made.json["approval"] as? [String: Any])
            // Asked at 09:00 for 10:00 tomorrow: 25 hours, fewer than APPROVAL_HOURS (48).
            #expect(approval["decide_by"] as? String == ISO8601DateFormatter().string(from: try Self.tenOClock(h, 1)))
            #expect((approval["requested_by"] as? [String: Any])?["name"] as? String == "Test student")
            #expect(approval["decided_at"] is NSNull)

            // The slot is held: nobody else books it, and the grid shows it taken.
            let clash = try await client.book(other, room: Room.studyL1, date: h.day(1), "10:00", "11:00")
            #expect(clash.status == .conflict)
            #expect(clash.json["code"] as? String == "booking_conflict")
            let slots = try await client.get("/bookings/available?room_id=\(Room.studyL1)&date=\(h.day(1))", other)
            let ten = try #require(slots.jsonArray.first { $0["start_time"] as? String == "10:00" })
            #expect(ten["available"] as? Bool == false)
            // It counts toward the booker's limits.
            #expect(try await client.get("/bookings/limits", student).json["upcoming"] as? Int == 1)
            // Pending is nothing to check in to.
            #expect(try await client.post("/bookings/\(id)/check-in", student, [:]).json["code"] as? String == "booking_pending")

            // The approver and the booker are told.
            let asked = try await Self.notices(h, "Approval requested")
            #expect(asked.count == 1)
            #expect(asked.first?.contains(#""user_id":500"#) == true)
            #expect(asked.first?.contains("Test student asks for Study Room L1") == true, "\(asked)")
            #expect(try await Self.notices(h, "Booking requested").first?.contains("needs approval by Dr Ada Approver") == true)

            // The queue: the approver sees it; another faculty member sees nothing and may not decide.
            let queue = try await client.get("/bookings/approvals", approver)
            #expect(queue.headers[.totalCount] == "1")
            #expect(queue.jsonArray.first?["id"] as? Int == id)
            #expect(try await client.get("/bookings/approvals", stranger).headers[.totalCount] == "0")
            let refused = try await client.post("/bookings/\(id)/approve", stranger, [:])
            #expect(refused.status == .forbidden)
            #expect(refused.detail.contains("decided by Dr Ada Approver"), "\(refused.detail)")
            #expect(try await client.get("/bookings/approvals", student).status == .forbidden)
            #expect(try await client.post("/bookings/\(id)/approve", approver, ["reason": "ok"]).status == .unprocessableContent)
            // The admin's list of the room's bookings shows the request by default, as it holds the room.
            let roomList = try await client.get("/rooms/\(Room.studyL1)/bookings", try await h.token(.admin, "1"))
            #expect(roomList.jsonArray.map { $0["status"] as? String } == ["pending"])

            let approved = try await client.post("/bookings/\(id)/approve", approver, [:])
            #expect(approved.status == .ok)
            #expect(approved.json["status"] as? String == "confirmed")
            #expect((approved.json["approval"] as? [String: Any])?["decided_by"] as? String == "Test faculty")
            #expect(try await client.get("/bookings/\(id)", student).json["status"] as? String == "confirmed")
            let told = try await Self.notices(h, "Booking approved")
            #expect(told.count == 1 && told.first?.contains(#""user_id":301"#) == true)
            #expect(told.first?.contains("STATUS:CONFIRMED") == true || told.first?.contains("invitation") == true)
            // Decided once: again is a conflict, and the queue is empty.
            #expect(try await client.post("/bookings/\(id)/approve", approver, [:]).json["code"] as? String == "not_pending")
            #expect(try await client.get("/bookings/approvals", approver).headers[.totalCount] == "0")
            // Approved is not "changed"; a new purpose keeps it approved; a move makes it a new request.
            #expect(approved.json["updated_at"] is NSNull)
            let renamed = try await client.change(id, student, ["purpose": "Thesis defence, final rehearsal"])
            #expect(renamed.json["status"] as? String == "confirmed")
            #expect(try await Self.notices(h, "Approval requested").count == 1)
            let moved = try await client.change(id, student, ["start_time": "11:00", "end_time": "12:00"])
            #expect(moved.json["status"] as? String == "pending")
            #expect((moved.json["approval"] as? [String: Any])?["decided_by"] is NSNull)
            #expect(try await Self.notices(h, "Approval requested").count == 2)
            // Withdrawn: the booker and the approver are told, as a withdrawal.
            #expect(try await client.delete("/bookings/\(id)", student).status == .noContent)
            let withdrawn = try await Self.notices(h, "Request withdrawn")
            #expect(withdrawn.count == 2 && withdrawn.contains { $0.contains(#""user_id":500"#) }, "\(withdrawn)")
            // The approver's own bookings of the room need no approval.
            #expect(try await client.book(approver, room: Room.studyL1, date: h.day(1), "12:00", "13:00").json["status"] as? String == "confirmed")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aDeclinedRequestFreesItsSlotAndTellsItsBookerWhy(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let admin = try await h.token(.admin, "1")
        try await h.app.test(.router) { client in
            // No named approver: any admin decides, and every admin is asked.
            try await Self.requireApproval(client, h, room: Room.studyL1, approver: nil)
            let id = try #require(try await client.book(student, room: Room.studyL1, date: h.day(2), "10:00", "11:00").json["id"] as? Int)
            #expect(try await Self.notices(h, "Approval requested").first?.contains(#""role":"admin""#) == true)
            #expect(try await client.post("/bookings/\(id)/decline", admin, [:]).status == .unprocessableContent)
            let before = try await h.outboxCount()
            let declined = try await client.post("/bookings/\(id)/decline", admin, ["reason": "The room is kept for exams that week"])
            #expect(declined.status == .ok)
            #expect(declined.json["status"] as? String == "cancelled")
            #expect(declined.json["cancelled_by"] as? String == "approver")
            #expect(declined.json["cancel_reason"] as? String == "Declined by Test admin: The room is kept for exams that week")
            #expect(try await h.outboxCount() == before + 1)
            #expect(try await Self.notices(h, "Booking declined").first?.contains("kept for exams") == true)
            // The slot is free again.
            #expect(try await client.book(student, room: Room.studyL1, date: h.day(2), "10:00", "11:00").status == .created)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aRequestNobodyDecidesExpiresOnceHoweverManyReplicasSweep(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let approver = try await h.token(.faculty, Self.approverID)
        try await h.app.test(.router) { client in
            try await Self.requireApproval(client, h, room: Room.studyL1)
            let soon = try #require(try await client.book(student, room: Room.studyL1, date: h.day(0), "10:00", "11:00").json["id"] as? Int)
            let later = try #require(try await client.book(student, room: Room.studyL1, date: h.day(5), "10:00", "11:00").json["id"] as? Int)
            let ten = try Self.tenOClock(h, 0)
            let a = FluentBookingRepository(provider: h.database, logger: h.logger)
            let b = FluentBookingRepository(provider: h.database, logger: h.logger)
            #expect(try await a.expireUndecided(now: ten.addingTimeInterval(-1)).isEmpty)
            async let first = a.expireUndecided(now: ten)
            async let second = b.expireUndecided(now: ten)
            let (one, two) = try await (first, second)
            #expect((one + two).map(\.id) == [soon])
            let expired = try await client.get("/bookings/\(soon)", student)
            #expect(expired.json["status"] as? String == "cancelled")
            #expect(expired.json["cancelled_by"] as? String == "no_decision")
            #expect((expired.json["cancel_reason"] as? String)?.hasPrefix("Not approved in time") == true)
            #expect(try await Self.notices(h, "Booking request expired").count == 1)
            // Too late to decide it; the other request still waits.
            h.clock.advance(by: ten.timeIntervalSince(h.clock.now) + 60)
            #expect(try await client.post("/bookings/\(soon)/approve", approver, [:]).json["code"] as? String == "not_pending")
            #expect(try await client.get("/bookings/\(later)", student).json["status"] as? String == "pending")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func movingABookingIntoARoomThatRequiresApprovalMakesItARequest(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            try await Self.requireApproval(client, h, room: Room.studyL1)
            let id = try #require(try await client.book(student, room: Room.seminarA101, date: h.day(1), "14:00", "15:00").json["id"] as? Int)
            let moved = try await client.change(id, student, ["room_id": Room.studyL1])
            #expect(moved.status == .ok)
            #expect(moved.json["status"] as? String == "pending")
            #expect(moved.json["approval"] is [String: Any])
            #expect(try await Self.notices(h, "Approval requested").count == 1)
            // A new purpose keeps it a request; moving it out of the room confirms it.
            #expect(try await client.change(id, student, ["purpose": "Reading"]).json["status"] as? String == "pending")
            let back = try await client.change(id, student, ["room_id": Room.seminarA101])
            #expect(back.json["status"] as? String == "confirmed")
            #expect(back.json["approval"] is NSNull)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func onlyFacultyOrAnAdminMayBeNamedApprover(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let admin = try await h.token(.admin, "1")
        h.accounts.set("301", Person(name: "Sam Student", role: .student))
        try await h.app.test(.router) { client in
            let student = try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": true, "approver_id": 301])
            #expect(student.status == .unprocessableContent)
            #expect(student.detail.contains("Sam Student is a student"), "\(student.detail)")
            #expect(try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": true, "approver_id": 999]).status == .unprocessableContent)
            #expect(try await client.put("/rooms/\(Room.studyL1)", admin, ["approver_id": 500]).status == .unprocessableContent)
            // Nothing changed by the refusals.
            #expect(try await client.get("/rooms/\(Room.studyL1)", admin).json["approval_required"] as? Bool == false)
            h.accounts.set("500", Person(name: "Dr Ada Approver", role: .faculty))
            #expect(try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": true, "approver_id": 500]).status == .ok)
            // Approval left on, the approver left out: the approver stays.
            let kept = try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": true, "capacity": 5])
            #expect((kept.json["approver"] as? [String: Any])?["name"] as? String == "Dr Ada Approver")
            let anyAdmin = try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": true, "approver_id": NSNull()])
            #expect(anyAdmin.json["approver"] is NSNull && anyAdmin.json["approval_required"] as? Bool == true)
            let off = try await client.put("/rooms/\(Room.studyL1)", admin, ["approval_required": false])
            #expect(off.json["approval_required"] as? Bool == false && off.json["approver"] is NSNull)
        }
    }
}
