import CampusKit
import CampusTesting
import Foundation
import HummingbirdTesting
import Testing

@testable import BookingService

/// The nearest room of the same kind for a booking in a room that is out of order (issue 19, point 10).
@Suite struct RoomOutlookTests {
    let start = Date(timeIntervalSince1970: 1_795_770_000)

    func room(_ id: Int, _ building: String, seats: Int, features: [String] = ["projector"], facultyOnly: Bool = false) -> Room {
        Room(id: id, name: "Room \(id)", building: building, capacity: seats, features: features, facultyOnly: facultyOnly)
    }

    func booking(in room: Int, hours: ClosedRange<Int> = 1...2) -> Booking {
        Booking(
            id: 1, roomID: room, userID: "3", date: CalendarDate("2026-11-27")!, startTime: WallClockTime("10:00")!, endTime: WallClockTime("11:00")!,
            startsAt: start.addingTimeInterval(TimeInterval(hours.lowerBound) * 3600), endsAt: start.addingTimeInterval(TimeInterval(hours.upperBound) * 3600),
            purpose: "Seminar", status: .confirmed, seriesID: nil, createdAt: start)
    }

    @Test func theSameBuildingWithEnoughSeatsComesFirst() {
        let broken = room(1, "Arts", seats: 30)
        let rooms = [
            broken,
            room(2, "Science", seats: 30),  // another building
            room(3, "Arts", seats: 20),  // too few seats
            room(4, "Arts", seats: 80),  // enough, but far more
            room(5, "Arts", seats: 40),  // enough, closest: the one
            room(6, "Arts", seats: 30, features: ["whiteboard"]),  // lacks the projector
            room(7, "Arts", seats: 30, facultyOnly: true),  // another audience
        ]
        let chosen = RoomOutlook.nearestAlternative(to: broken, for: booking(in: 1), among: rooms, busy: [:])
        #expect(chosen?.id == 5)
        // Room 5 busy for part of the booking: the next best in the building, room 4.
        let busy = [5: [DateInterval(start: start.addingTimeInterval(5400), duration: 600)]]
        #expect(RoomOutlook.nearestAlternative(to: broken, for: booking(in: 1), among: rooms, busy: busy)?.id == 4)
        // Busy only before the booking: still free for it.
        let before = [5: [DateInterval(start: start, duration: 3600)]]
        #expect(RoomOutlook.nearestAlternative(to: broken, for: booking(in: 1), among: rooms, busy: before)?.id == 5)
        // Nothing of its kind in the building free with enough seats: fewer seats in the building beat another building.
        #expect(RoomOutlook.nearestAlternative(to: broken, for: booking(in: 1), among: [broken, rooms[1], rooms[2]], busy: [:])?.id == 3)
        #expect(RoomOutlook.nearestAlternative(to: broken, for: booking(in: 1), among: [broken, rooms[5], rooms[6]], busy: [:]) == nil)
    }

    @Test func theOutlookListsBookingsEarliestFirstEachWithItsAlternative() {
        let broken = room(1, "Arts", seats: 30)
        var late = booking(in: 1, hours: 3...4)
        late.id = 9
        let outlook = RoomOutlook(
            room: broken, bookings: [late, booking(in: 1)], rooms: [broken, room(2, "Arts", seats: 30)],
            busy: [2: [DateInterval(start: start.addingTimeInterval(3 * 3600), duration: 3600)]])
        #expect(outlook.bookings.map(\.booking.id) == [1, 9])
        #expect(outlook.bookings.map(\.alternative?.id) == [2, nil])
    }
}

/// `PUT /internal/rooms/out-of-order`: maintenance states which rooms are out of order, whole; booking
/// refuses bookings into them and shows their slots as taken until a later statement leaves them out.
@Suite struct RoomsOutOfOrderTests {
    typealias Room = BookingHarness.SeededRoom

    @Test(arguments: TestDatabase.backends)
    func onlyMaintenanceStatesThemAndTheLatestStatementHolds(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        let admin = try await h.token(.admin, "101")
        let maintenance = try await h.runtime.tokens.issueServiceToken(for: .maintenance).token
        let notifications = try await h.runtime.tokens.issueServiceToken(for: .notification).token
        try await h.app.test(.router) { client in
            func state(_ token: String, _ rooms: [JSONObject]) async throws -> TestResponse {
                try await client.execute(uri: "/internal/rooms/out-of-order", method: .put, headers: bearer(token), body: jsonBody(["rooms": rooms])) { $0 }
            }
            func takenSlots(_ room: Int) async throws -> Int {
                try await client.get("/bookings/available?room_id=\(room)&date=\(h.day(1))", student).jsonArray.filter { $0["available"] as? Bool == false }
                    .count
            }
            // Only the maintenance service: not a person, not another service.
            for token in [admin, student, notifications] {
                #expect(try await state(token, [["room_id": Room.seminarA101, "ticket_id": 7]]).status == .forbidden)
            }
            #expect(try await takenSlots(Room.seminarA101) == 0)
            // Bad statements change nothing.
            #expect(try await state(maintenance, [["room_id": 0, "ticket_id": 7]]).status == .unprocessableContent)
            #expect(try await state(maintenance, [["room_id": Room.seminarA101]]).status == .unprocessableContent)
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(1), "10:00", "11:00").status == .created)

            // Out of order (and a room that does not exist, passed over): refused, every slot taken,
            // whatever the ticket that marked it; a room not named still takes bookings.
            #expect(
                try await state(
                    maintenance,
                    [["room_id": Room.seminarA101, "ticket_id": 9], ["room_id": 999, "ticket_id": 9], ["room_id": Room.seminarA101, "ticket_id": 7]]
                ).status == .noContent)
            let refused = try await client.book(student, room: Room.seminarA101, date: h.day(1), "14:00", "15:00")
            #expect(refused.status == .conflict && refused.problemCode == "room_out_of_order")
            #expect(refused.detail == "Seminar Room A101 is out of order until maintenance ticket #7 is resolved: choose another room.")
            #expect(try await takenSlots(Room.seminarA101) == 10)
            #expect(try await client.book(student, room: Room.seminarB201, date: h.day(1), "14:00", "15:00").status == .created)
            let outbox = try await h.outboxCount()

            // A later statement without it: in order again.
            #expect(try await state(maintenance, []).status == .noContent)
            #expect(try await takenSlots(Room.seminarA101) == 1)
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(1), "14:00", "15:00").status == .created)
            #expect(try await h.outboxCount() == outbox + 1)
        }
    }
}
