import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import BookingService

/// However malformed the request, the answer is a 4xx problem, never a 5xx.
@Suite struct RobustnessTests {
    @Test func malformedInputNeverProducesA5xx() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        let admin = try await h.token(.admin, "101")
        let good: JSONObject = ["room_id": 1, "date": h.day(1), "start_time": "10:00", "end_time": "11:00", "purpose": "x"]
        func with(_ key: String, _ value: Any?) -> ByteBuffer {
            var body = good
            body[key] = value
            return jsonBody(body)
        }
        let bodies: [(ByteBuffer, HTTPResponse.Status)] = [
            (ByteBuffer(string: "{oops"), .badRequest),
            (ByteBuffer(string: ""), .badRequest),
            (ByteBuffer(string: "[]"), .unprocessableContent),
            (ByteBuffer(string: "null"), .unprocessableContent),
            (ByteBuffer(string: "\"text\""), .unprocessableContent),
            (jsonBody([:]), .unprocessableContent),
            (with("room_id", "one"), .unprocessableContent),
            (with("room_id", " 1"), .unprocessableContent),
            (with("room_id", 1.5), .unprocessableContent),
            (with("room_id", 1e300), .unprocessableContent),
            (with("room_id", NSNull()), .unprocessableContent),
            (with("room_id", -7), .unprocessableContent),
            (with("room_id", Int.max), .unprocessableContent),
            (with("date", "2026-02-30"), .unprocessableContent),
            (with("date", "2026-13-45"), .unprocessableContent),
            (with("date", 20_261_201), .unprocessableContent),
            (with("date", ""), .unprocessableContent),
            (with("date", "9999-12-31"), .unprocessableContent),
            (with("date", "1900-01-01"), .unprocessableContent),
            (with("start_time", "25:00"), .unprocessableContent),
            (with("start_time", "10:00:00"), .unprocessableContent),
            (with("start_time", "ten"), .unprocessableContent),
            (with("end_time", 11), .unprocessableContent),
            (with("end_time", nil), .unprocessableContent),
            (with("purpose", nil), .unprocessableContent),
            (with("purpose", String(repeating: "p", count: 5000)), .unprocessableContent),
            (with("purpose", "bell \u{07}"), .unprocessableContent),
            (with("purpose", ["nested": true]), .unprocessableContent),
            (with("repeat_weeks", "two"), .unprocessableContent),
            (with("repeat_weeks", 3), .forbidden),
            (ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024), .contentTooLarge),
        ]
        try await h.app.test(.router) { client in
            for (body, expected) in bodies {
                let response = try await client.execute(uri: "/bookings", method: .post, headers: bearer(student), body: body) { $0 }
                #expect(response.status == expected, "\(String(buffer: body).prefix(80)) → \(response.status) \(response.text)")
                #expect(response.isProblem)
            }
            let uris = [
                "/bookings/available?date=2026-02-30", "/bookings/available?date=%FF%FE", "/bookings/available?room_id=1e9&date=x",
                "/bookings/available?room_id=99999999999999999999999", "/bookings?from=%00", "/bookings?limit=99999999999999999999",
                "/bookings/%00", "/bookings/99999999999999999999999", "/bookings/series/%25%25", "/rooms/1.5", "/rooms?min_capacity=1e400",
                "/rooms?feature=" + String(repeating: "x", count: 5000), "/bookings/available?date=" + String(repeating: "9", count: 3000),
            ]
            for uri in uris {
                for token in [student, admin] {
                    let response = try await client.get(uri, token)
                    #expect(response.status.code < 500, "\(uri.prefix(80)) → \(response.status)")
                    #expect(response.status.code >= 400 || response.status == .ok, "\(uri.prefix(80))")
                }
            }
            for body in [ByteBuffer(string: "{oops"), jsonBody(["capacity": "huge"]), jsonBody(["name": 5]), jsonBody(["features": "projector"])] {
                let create = try await client.execute(uri: "/rooms", method: .post, headers: bearer(admin), body: body) { $0 }
                #expect(create.status.code < 500 && create.status.code >= 400)
                let update = try await client.execute(uri: "/rooms/1", method: .put, headers: bearer(admin), body: body) { $0 }
                #expect(update.status.code < 500 && update.status.code >= 400)
            }
            // Nothing was booked along the way, and the service still works.
            #expect(try await client.get("/bookings", student).headers[.totalCount] == "0")
            #expect(try await client.book(student, room: 1, date: h.day(1), "10:00", "11:00").status == .created)
        }
    }
}
