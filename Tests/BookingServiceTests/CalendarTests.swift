import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// `GET /bookings/calendar.ics`, parsed back line by line as a calendar app would.
@Suite struct CalendarTests {
    typealias Room = BookingHarness.SeededRoom

    /// Physical lines (checked for CRLF and length), then unfolded content lines.
    func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let bytes = Array(text.utf8)
        // Every LF is preceded by CR, and the text ends with CRLF.
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)", sourceLocation: sourceLocation)
        }
        #expect(text.hasSuffix("\r\n"), sourceLocation: sourceLocation)
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for line in physical {
            #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)", sourceLocation: sourceLocation)
            #expect(!line.contains("\r") && !line.contains("\n"), sourceLocation: sourceLocation)
        }
        var unfolded: [String] = []
        for line in physical {
            if line.hasPrefix(" "), !unfolded.isEmpty {
                unfolded[unfolded.count - 1] += line.dropFirst()
            } else {
                unfolded.append(line)
            }
        }
        return unfolded
    }

    func unescape(_ value: Substring) -> String {
        var result = ""
        var escaping = false
        for character in value {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    func value(_ line: String) -> Substring { line[line.index(after: line.firstIndex(of: ":") ?? line.startIndex)...] }

    @Test func confirmedBookingsBecomeAValidFoldedEscapedCalendar() async throws {
        let h = try await BookingHarness()
        let faculty = try await h.token(.faculty, "201")
        let tricky = "Review; drafts, notes \\ backslash\nsecond line – café ☕️ " + String(repeating: "ü", count: 40)
        try await h.app.test(.router) { client in
            #expect(try await client.book(faculty, room: Room.seminarB201, date: h.day(4), "10:00", "12:00", purpose: tricky).status == .created)
            let cancelled = try #require(try await client.book(faculty, room: Room.seminarA101, date: h.day(5), "10:00", "11:00").json["id"] as? Int)
            #expect(try await client.delete("/bookings/\(cancelled)", faculty).status == .noContent)
            #expect(try await client.book(faculty, room: Room.lectureHall1, date: h.day(6), "14:00", "15:00", purpose: "Lecture").status == .created)
            // Someone else's booking never appears.
            #expect(try await client.book(try await h.token(.student, "309"), room: Room.studyL1, date: h.day(4), "10:00", "11:00").status == .created)

            let response = try await client.get("/bookings/calendar.ics", faculty)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
            let lines = parse(response.text)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            #expect(lines.contains("VERSION:2.0") && lines.contains { $0.hasPrefix("PRODID:") })
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
            #expect(lines.filter { $0 == "END:VEVENT" }.count == 2)
            let uids = lines.filter { $0.hasPrefix("UID:") }
            #expect(uids.count == 2 && Set(uids).count == 2)
            #expect(lines.filter { $0.hasPrefix("DTSTAMP:") }.allSatisfy { $0 == "DTSTAMP:20261127T090000Z" })
            #expect(lines.filter { $0.hasPrefix("DTSTART:") } == ["DTSTART:20261201T100000Z", "DTSTART:20261203T140000Z"])
            #expect(lines.filter { $0.hasPrefix("DTEND:") } == ["DTEND:20261201T120000Z", "DTEND:20261203T150000Z"])
            let summaries = lines.filter { $0.hasPrefix("SUMMARY:") }
            #expect(summaries.map { unescape(value($0)) } == ["Seminar Room B201: \(tricky)", "Lecture Hall 1: Lecture"])
            // Escaped on the wire: no raw separators inside the value.
            let raw = String(value(summaries[0]))
            #expect(raw.contains("Review\\; drafts\\, notes \\\\ backslash\\nsecond line"))
            // The long summary really was folded.
            #expect(response.text.contains("\r\n "))
        }
    }

    @Test func timesAreWrittenInUTCWhateverTheCampusZone() async throws {
        let h = try await BookingHarness { $0.campusTimeZone = TimeZone(identifier: "America/New_York") ?? $0.campusTimeZone }
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            #expect(try await client.book(student, room: Room.seminarA101, date: h.day(4), "09:00", "10:00").status == .created)
            let lines = parse(try await client.get("/bookings/calendar.ics", student).text)
            // 09:00 EST is 14:00 UTC.
            #expect(lines.contains("DTSTART:20261201T140000Z"))
            #expect(lines.contains("DTEND:20261201T150000Z"))
        }
    }

    @Test func foldingNeverSplitsACharacterAndEscapingCoversTheSpecials() {
        let long = "SUMMARY:" + String(repeating: "€", count: 60)
        let folded = ICalendar.fold(long)
        for line in folded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75)
            #expect(String(data: Data(line.utf8), encoding: .utf8) != nil)
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == long)
        #expect(ICalendar.escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne")
    }
}
