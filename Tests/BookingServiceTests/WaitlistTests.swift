import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// Waiting lists (issue 19, point 2): on a taken slot people join a line; when it frees up the
/// sweep serves the first in line (a notice, or the booking itself under their own limits), once
/// however many replicas sweep, and the next only after the first has had their minutes.
@Suite struct WaitlistTests {
    typealias Room = BookingHarness.SeededRoom

    static func join(_ client: some TestClientProtocol, _ token: String, room: Int, date: String, _ start: String, _ end: String, autoBook: Bool = false)
        async throws -> TestResponse
    {
        try await client.post(
            "/bookings/waitlist", token, ["room_id": room, "date": date, "start_time": start, "end_time": end, "purpose": "Waiting", "auto_book": autoBook])
    }

    static func notices(_ h: BookingHarness, _ title: String) async throws -> [String] {
        try await OutboxEvent.query(on: h.database.database(logger: h.logger)).all().map(\.payload).filter { $0.contains(title) }
    }

    @Test(arguments: TestDatabase.backends)
    func peopleJoinTheLineOnlyForATakenSlotOnceEachInOrder(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let holder = try await h.token(.student, "301")
        let first = try await h.token(.student, "302")
        let second = try await h.token(.faculty, "201")
        let admin = try await h.token(.admin, "1")
        try await h.app.test(.router) { client in
            // A free slot: book it instead.
            let free = try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "11:00")
            #expect(free.status == .conflict)
            #expect(free.json["code"] as? String == "slot_free")
            #expect(try await client.book(holder, room: Room.studyL1, date: h.day(1), "10:00", "11:00").status == .created)
            let yours = try await Self.join(client, holder, room: Room.studyL1, date: h.day(1), "10:00", "11:00")
            #expect(yours.json["code"] as? String == "slot_yours")

            let one = try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "11:00", autoBook: true)
            #expect(one.status == .created)
            #expect(one.json["position"] as? Int == 1)
            #expect(one.json["status"] as? String == "waiting")
            #expect(one.json["auto_book"] as? Bool == true)
            // Overlapping is the same line: 10:00–12:00 waits behind the first.
            let two = try await Self.join(client, second, room: Room.studyL1, date: h.day(1), "10:00", "12:00")
            #expect(two.json["position"] as? Int == 2)
            #expect(try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["code"] as? String == "already_waiting")

            // What a booking would be refused for, the line is too; so are unknown fields and other roles.
            #expect(try await Self.join(client, first, room: Room.computerLab, date: h.day(1), "10:00", "11:00").status == .forbidden)
            #expect(try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "15:00").status == .unprocessableContent)
            #expect(try await Self.join(client, first, room: 999, date: h.day(1), "10:00", "11:00").status == .unprocessableContent)
            let odd = try await client.post(
                "/bookings/waitlist", first, ["room_id": Room.studyL1, "date": h.day(1), "start_time": "10:00", "end_time": "11:00", "notify": true])
            #expect(odd.status == .unprocessableContent)
            #expect(try await client.get("/bookings/waitlist", admin).status == .forbidden)

            let mine = try await client.get("/bookings/waitlist", second)
            #expect(mine.headers[.totalCount] == "1")
            #expect(mine.jsonArray.first?["position"] as? Int == 2)
            // Leaving the line: the next moves up; someone else's entry is not theirs to remove.
            let firstID = try #require(one.json["id"] as? Int)
            #expect(try await client.delete("/bookings/waitlist/\(firstID)", second).status == .notFound)
            #expect(try await client.delete("/bookings/waitlist/\(firstID)", first).status == .noContent)
            #expect(try await client.get("/bookings/waitlist", second).jsonArray.first?["position"] as? Int == 1)
            #expect(try await client.get("/bookings/waitlist", first).headers[.totalCount] == "0")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aFreedSlotIsBookedForTheFirstInLineWhoAskedAndTheNextWaits(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let holder = try await h.token(.student, "301")
        let first = try await h.token(.student, "302")
        let second = try await h.token(.student, "303")
        let waitlist = FluentWaitlistRepository(provider: h.database, logger: h.logger, changes: BookingChanges())
        try await h.app.test(.router) { client in
            let held = try #require(try await client.book(holder, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            #expect(try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "11:00", autoBook: true).status == .created)
            #expect(try await Self.join(client, second, room: Room.studyL1, date: h.day(1), "10:00", "11:00", autoBook: true).status == .created)
            // Still held: nothing to serve.
            #expect(try await waitlist.serve(now: h.clock.now).isEmpty)

            #expect(try await client.delete("/bookings/\(held)", holder).status == .noContent)
            let served = try await waitlist.serve(now: h.clock.now)
            #expect(served.map(\.userID) == ["302"])
            #expect(served.first?.status == .booked)
            let booking = try await client.get("/bookings?status=confirmed", first)
            #expect(booking.headers[.totalCount] == "1")
            #expect(booking.jsonArray.first?["room_id"] as? Int == Room.studyL1)
            #expect(booking.jsonArray.first?["start_time"] as? String == "10:00")
            let entry = try await client.get("/bookings/waitlist", first)
            #expect(entry.jsonArray.first?["status"] as? String == "booked")
            #expect(entry.jsonArray.first?["booking_id"] as? Int == booking.jsonArray.first?["id"] as? Int)
            // Theirs now: the second waits on, told nothing.
            #expect(try await waitlist.serve(now: h.clock.now.addingTimeInterval(3600)).isEmpty)
            #expect(try await client.get("/bookings/waitlist", second).jsonArray.first?["status"] as? String == "waiting")
            #expect(try await Self.notices(h, "Booking confirmed").filter { $0.contains(#""user_id":302"#) }.count == 1)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theFirstInLineIsToldAndHasTheirMinutesBeforeTheNextIs(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let holder = try await h.token(.student, "301")
        let first = try await h.token(.student, "302")
        let second = try await h.token(.student, "303")
        let waitlist = FluentWaitlistRepository(provider: h.database, logger: h.logger, changes: BookingChanges())
        try await h.app.test(.router) { client in
            let held = try #require(try await client.book(holder, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            #expect(try await Self.join(client, first, room: Room.studyL1, date: h.day(1), "10:00", "11:00").status == .created)
            #expect(try await Self.join(client, second, room: Room.studyL1, date: h.day(1), "10:00", "11:00").status == .created)
            #expect(try await client.delete("/bookings/\(held)", holder).status == .noContent)

            #expect(try await waitlist.serve(now: h.clock.now).map(\.userID) == ["302"])
            let told = try await Self.notices(h, "A room you waited for is free")
            #expect(told.count == 1 && told[0].contains(#""user_id":302"#))
            #expect(try await client.get("/bookings/waitlist", first).jsonArray.first?["status"] as? String == "offered")
            // While the first has the slot to themselves, the second is not told they are first.
            #expect(try await client.get("/bookings/waitlist", second).jsonArray.first?["position"] as? Int == 2)
            // Within their minutes the next is not told; after them, if it is still free, they are.
            let minutes = TimeInterval(Waitlist.firstInLineMinutes * 60)
            #expect(try await waitlist.serve(now: h.clock.now.addingTimeInterval(minutes - 60)).isEmpty)
            #expect(try await waitlist.serve(now: h.clock.now.addingTimeInterval(minutes + 60)).map(\.userID) == ["303"])
            #expect(try await Self.notices(h, "A room you waited for is free").count == 2)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aBookingForTheFirstInLineIsHeldToTheirLimitsAndOtherwiseTheyAreTold(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let holder = try await h.token(.student, "301")
        let busy = try await h.token(.student, "302")
        let waitlist = FluentWaitlistRepository(provider: h.database, logger: h.logger, changes: BookingChanges())
        try await h.app.test(.router) { client in
            let held = try #require(try await client.book(holder, room: Room.studyL1, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            #expect(try await Self.join(client, busy, room: Room.studyL1, date: h.day(1), "10:00", "11:00", autoBook: true).status == .created)
            // Meanwhile they filled their upcoming bookings (3 for a student).
            for hour in 13..<16 {
                #expect(try await client.book(busy, room: Room.seminarA101, date: h.day(2), "\(hour):00", "\(hour + 1):00").status == .created)
            }
            #expect(try await client.delete("/bookings/\(held)", holder).status == .noContent)
            let served = try await waitlist.serve(now: h.clock.now)
            #expect(served.first?.status == .offered)
            let told = try await Self.notices(h, "A room you waited for is free")
            #expect(told.count == 1 && told[0].contains("could not be booked for you") && told[0].contains("at most 3 upcoming bookings"))
            #expect(try await client.get("/bookings?status=confirmed", busy).headers[.totalCount] == "3")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func twoReplicasServingAtOnceServeEachSlotOnce(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let holder = try await h.token(.faculty, "201")
        var made: [String] = []
        for index in 0..<4 { made.append(try await h.token(.faculty, "\(700 + index)")) }
        let waiters = made
        try await h.app.test(.router) { client in
            var held: [Int] = []
            for hour in 10..<16 {
                held.append(
                    try #require(try await client.book(holder, room: Room.seminarB201, date: h.day(3), "\(hour):00", "\(hour + 1):00").json["id"] as? Int))
            }
            for hour in 10..<16 {
                for (index, waiter) in waiters.enumerated() {
                    #expect(
                        try await Self.join(client, waiter, room: Room.seminarB201, date: h.day(3), "\(hour):00", "\(hour + 1):00", autoBook: index % 2 == 0)
                            .status == .created)
                }
            }
            for id in held { #expect(try await client.delete("/bookings/\(id)", holder).status == .noContent) }
            let a = FluentWaitlistRepository(provider: h.database, logger: h.logger, changes: BookingChanges())
            let b = FluentWaitlistRepository(provider: h.database, logger: h.logger, changes: BookingChanges())
            async let one = a.serve(now: h.clock.now)
            async let two = b.serve(now: h.clock.now)
            let (first, second) = try await (one, two)
            // One per slot, the first in line (the first waiter asked to be booked): six bookings, no notices twice.
            #expect(first.count + second.count == 6)
            #expect(Set((first + second).map(\.userID)) == ["700"])
            let booked = try await client.get("/bookings?status=confirmed", waiters[0])
            #expect(booked.headers[.totalCount] == "6")
            #expect(try await Self.notices(h, "A room you waited for is free").isEmpty)
        }
    }
}
