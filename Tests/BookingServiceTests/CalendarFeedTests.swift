import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// The secret subscription address: made once, served without a token, cancelled bookings marked
/// cancelled, reset ends the old address, room calendars for faculty only — on both databases.
@Suite struct CalendarFeedTests {
    typealias Room = BookingHarness.SeededRoom

    func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The VEVENT blocks of a calendar, each as its content lines.
    func events(_ text: String) -> [[String]] {
        var events: [[String]] = []
        for line in unfolded(text) {
            if line == "BEGIN:VEVENT" {
                events.append([])
            } else if !events.isEmpty, !(events.last?.last == "END:VEVENT") {
                events[events.count - 1].append(line)
            }
        }
        return events
    }

    @Test(arguments: TestDatabase.backends)
    func aSubscribedFeedFollowsBookingsAndCancellationsWithoutAToken(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            let address = try await client.get("/bookings/feed", student)
            #expect(address.status == .ok)
            let path = try #require(address.json["path"] as? String)
            #expect(path.hasPrefix("/calendar/") && path.hasSuffix(".ics") && path.count == "/calendar/".count + 43 + 4)
            #expect(address.json["room_path_template"] is NSNull)
            #expect(address.json["refresh_minutes"] as? Int == 15)
            // The same address on every visit.
            #expect(try await client.get("/bookings/feed", student).json["path"] as? String == path)

            let booked = try await client.book(student, room: Room.seminarA101, date: h.day(4), "10:00", "11:00", purpose: "Revision").json
            let id = try #require(booked["id"] as? Int)
            let createdText = try #require(booked["created_at"] as? String)
            let created = try #require(ISO8601DateFormatter().date(from: createdText))
            // The booking's id and creation time: unique across installations (RFC 5545 §3.8.4.7).
            let uid = "UID:booking-\(id).\(Int(created.timeIntervalSince1970))@campus-services-hub"
            let feed = try await client.execute(uri: path, method: .get) { $0 }
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            let lines = unfolded(feed.text)
            #expect(lines.contains("REFRESH-INTERVAL;VALUE=DURATION:PT15M") && lines.contains("X-PUBLISHED-TTL:PT15M"))
            let event = try #require(events(feed.text).first)
            #expect(event.contains(uid))
            #expect(event.contains("STATUS:CONFIRMED") && event.contains("SEQUENCE:0"))

            #expect(try await client.delete("/bookings/\(id)", student).status == .noContent)
            let after = try #require(events(try await client.execute(uri: path, method: .get) { $0 }.text).first)
            // Same UID, one SEQUENCE on, cancelled: a subscribed calendar updates rather than duplicates.
            #expect(after.contains(uid))
            #expect(after.contains("STATUS:CANCELLED") && after.contains("SEQUENCE:1"))
        }
    }

    @Test(arguments: TestDatabase.backends)
    func resettingEndsTheOldAddressAtOnce(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let student = try await h.token(.student, "302")
        try await h.app.test(.router) { client in
            let old = try #require(try await client.get("/bookings/feed", student).json["path"] as? String)
            let reset = try await client.execute(uri: "/bookings/feed/reset", method: .post, headers: bearer(student)) { $0 }
            #expect(reset.status == .ok)
            let new = try #require(reset.json["path"] as? String)
            #expect(new != old)
            let gone = try await client.execute(uri: old, method: .get) { $0 }
            #expect(gone.status == .notFound)
            #expect(gone.json["code"] as? String == "calendar_not_found")
            #expect(try await client.execute(uri: new, method: .get) { $0 }.status == .ok)
            #expect(try await client.get("/bookings/feed", student).json["path"] as? String == new)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func roomCalendarsAreForFacultyAndSayOnlyWhenARoomIsTaken(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let faculty = try await h.token(.faculty, "201")
        let student = try await h.token(.student, "303")
        try await h.app.test(.router) { client in
            #expect(try await client.book(student, room: Room.seminarB201, date: h.day(4), "10:00", "11:00", purpose: "Private matter").status == .created)
            let template = try #require(try await client.get("/bookings/feed", faculty).json["room_path_template"] as? String)
            let room = try await client.execute(uri: template.replacingOccurrences(of: "{room_id}", with: "\(Room.seminarB201)"), method: .get) { $0 }
            #expect(room.status == .ok)
            let event = try #require(events(room.text).first)
            #expect(event.contains { $0.hasPrefix("SUMMARY:") && $0.hasSuffix("booked") })
            // Who booked it and why stay private.
            #expect(!room.text.contains("Private matter"))
            #expect(try await client.execute(uri: template.replacingOccurrences(of: "{room_id}", with: "99999"), method: .get) { $0 }.status == .notFound)

            // A student's address follows only their own bookings.
            let studentPath = try #require(try await client.get("/bookings/feed", student).json["path"] as? String)
            let secret = studentPath.dropFirst("/calendar/".count).dropLast(4)
            #expect(try await client.execute(uri: "/calendar/\(secret)/rooms/\(Room.seminarB201).ics", method: .get) { $0 }.status == .forbidden)
        }
    }

    @Test func anAddressEndsWithItsAccountsTokens() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "205")
        try await h.app.test(.router) { client in
            let address = try await client.get("/bookings/feed", faculty)
            let path = try #require(address.json["path"] as? String)
            let template = try #require(address.json["room_path_template"] as? String)
            let room = template.replacingOccurrences(of: "{room_id}", with: "\(Room.seminarA101)")
            #expect(try await client.execute(uri: path, method: .get) { $0 }.status == .ok)
            #expect(try await client.execute(uri: path, method: .head) { $0 }.status == .ok)

            // The role changed (say, demoted) after the address was made: it stops, rooms too.
            h.accounts.set("205", .active(tokensValidAfter: h.clock.now.addingTimeInterval(1)))
            for uri in [path, room] {
                let gone = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(gone.status == .notFound, "\(uri)")
                #expect(gone.json["code"] as? String == "calendar_not_found")
            }
            // Signed in again after the change, the owner is given a new address that works.
            h.clock.advance(by: 60)
            let renewed = try await client.get("/bookings/feed", try await h.token(.faculty, "205"))
            let newPath = try #require(renewed.json["path"] as? String)
            #expect(newPath != path)
            #expect(try await client.execute(uri: newPath, method: .get) { $0 }.status == .ok)

            // A deleted account's address ends at once.
            h.accounts.set("205", .deleted)
            #expect(try await client.execute(uri: newPath, method: .get) { $0 }.status == .notFound)
        }
    }

    @Test func technicianHasNoFeedAndNobodyGuessesOne() async throws {
        let h = try await BookingHarness()
        try await h.app.test(.router) { client in
            #expect(try await client.get("/bookings/feed", try await h.token(.technician, "401")).status == .forbidden)
            for path in [
                "/calendar/\(String(repeating: "A", count: 43)).ics", "/calendar/short.ics", "/calendar/\(String(repeating: "A", count: 43))",
                "/calendar/%2e%2e.ics", "/calendar/\(String(repeating: "A", count: 43))/rooms/1.ics",
            ] {
                let response = try await client.execute(uri: path, method: .get) { $0 }
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == ProblemDetails.mediaType, "\(path)")
            }
        }
    }

    @Test func aSecretIsFortyThreeBase64URLCharactersAndEveryNewOneDiffers() {
        let identity = Identity(userID: "1", email: "a@example.edu", name: "A", role: .student, tokenID: "t", expiresAt: .distantFuture)
        let secrets = (0..<200).map { _ in CalendarFeed.new(for: identity, now: Date()).secret }
        #expect(Set(secrets).count == 200)
        #expect(secrets.allSatisfy { CalendarFeed.secret(in: $0[...]) == $0 })
        #expect(CalendarFeed.secret(in: String(repeating: "a", count: 42)[...]) == nil)
        #expect(CalendarFeed.secret(in: (String(repeating: "a", count: 42) + "/")[...]) == nil)
        #expect(CalendarFeed.secret(in: (String(repeating: "a", count: 42) + "é")[...]) == nil)
    }
}
