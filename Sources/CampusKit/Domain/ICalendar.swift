import CampusKit
import Foundation

/// An RFC 5545 calendar of bookings: CRLF line ends, lines folded at 75 octets (never inside a
/// UTF-8 character), TEXT values escaped, times in UTC (`...Z`). A feed or download is `PUBLISH`;
/// an e-mailed invitation is an RFC 5546 `REQUEST` or `CANCEL` with an organizer and an attendee.
public struct ICalendar: Sendable {
    public enum Method: String, Codable, Sendable {
        case publish = "PUBLISH"
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    public struct Event: Codable, Sendable, Equatable {
        public var uid: String
        public var startsAt: Date
        public var endsAt: Date
        public var summary: String
        public var location: String
        public var description: String
        public var created: Date
        /// A cancelled booking stays in a subscribed feed as `STATUS:CANCELLED`, one `SEQUENCE` on,
        /// so calendars that already hold it mark it cancelled instead of keeping it.
        public var cancelledAt: Date?
        /// How many times the event was changed before (nil: never); a change or a cancellation is one more.
        public var revision: Int?
        /// When it was last changed, if it was.
        public var modified: Date?
        /// A request still waiting for a decision: `STATUS:TENTATIVE`.
        public var tentative = false

        public init(
            uid: String, startsAt: Date, endsAt: Date, summary: String, location: String, description: String, created: Date,
            cancelledAt: Date? = nil, revision: Int? = nil, modified: Date? = nil
        ) {
            self.uid = uid
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.summary = summary
            self.location = location
            self.description = description
            self.created = created
            self.cancelledAt = cancelledAt
            self.revision = revision
            self.modified = modified
        }

        /// RFC 5545 `SEQUENCE`: one on for every change, and one more once cancelled.
        public var sequence: Int { (revision ?? 0) + (cancelledAt == nil ? 0 : 1) }
    }

    public static let mediaType = "text/calendar; charset=utf-8"
    public static let maximumLineOctets = 75

    public var name: String
    public var events: [Event]
    /// When this calendar was made: every event's DTSTAMP.
    public var stamp: Date
    /// For a subscribed feed: how often to fetch it again (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`).
    public var refreshMinutes: Int?
    public var method: Method
    /// For an invitation: who sends it and whom it is for (RFC 5546 requires both in a REQUEST and a CANCEL).
    public var organizer: MailAddress?
    public var attendee: MailAddress?

    public init(
        name: String, events: [Event], stamp: Date, refreshMinutes: Int? = nil, method: Method = .publish, organizer: MailAddress? = nil,
        attendee: MailAddress? = nil
    ) {
        self.name = name
        self.events = events
        self.stamp = stamp
        self.refreshMinutes = refreshMinutes
        self.method = method
        self.organizer = organizer
        self.attendee = attendee
    }

    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Campus Services Hub//Booking//EN", "CALSCALE:GREGORIAN",
            "METHOD:" + method.rawValue, "X-WR-CALNAME:" + Self.escape(name),
        ]
        if let refreshMinutes {
            lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT\(refreshMinutes)M", "X-PUBLISHED-TTL:PT\(refreshMinutes)M"]
        }
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + Self.escape(event.uid),
                "DTSTAMP:" + Self.utc(stamp),
                "DTSTART:" + Self.utc(event.startsAt),
                "DTEND:" + Self.utc(event.endsAt),
                "CREATED:" + Self.utc(event.created),
                "LAST-MODIFIED:" + Self.utc(event.cancelledAt ?? event.modified ?? event.created),
                "SEQUENCE:" + String(event.sequence),
                "SUMMARY:" + Self.escape(event.summary),
                "LOCATION:" + Self.escape(event.location),
                "DESCRIPTION:" + Self.escape(event.description),
                event.cancelledAt != nil ? "STATUS:CANCELLED" : event.tentative ? "STATUS:TENTATIVE" : "STATUS:CONFIRMED",
            ]
            if let organizer { lines.append("ORGANIZER" + Self.commonName(organizer) + ":mailto:" + organizer.address) }
            if let attendee {
                let status = event.cancelledAt != nil ? "DECLINED" : event.tentative ? "TENTATIVE" : "ACCEPTED"
                lines.append("ATTENDEE" + Self.commonName(attendee) + ";ROLE=REQ-PARTICIPANT;PARTSTAT=\(status);RSVP=FALSE:mailto:" + attendee.address)
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `;CN="Name"` (RFC 5545 §3.2.2): a parameter value is quoted and may not hold a double quote or a control character.
    static func commonName(_ mailbox: MailAddress) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return "" }
        let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.filter { $0 != "\"" && $0.properties.generalCategory != .control }))
        return ";CN=\"\(cleaned)\""
    }

    /// TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Splits a content line into lines of at most 75 octets; continuation lines start with a space.
    public static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        // By Unicode scalar, so a fold never falls inside one character's UTF-8 bytes.
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > maximumLineOctets {
                lines.append(current)
                current = " "
                octets = 1
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// `20261201T100000Z`.
    public static func utc(_ date: Date) -> String {
        let (day, secondOfDay) = CalendarDate.utc(date)
        func two(_ value: Int) -> String { String(value).leftPadded(to: 2) }
        return String(day.year).leftPadded(to: 4) + two(day.month) + two(day.day)
            + "T" + two(secondOfDay / 3600) + two(secondOfDay % 3600 / 60) + two(secondOfDay % 60) + "Z"
    }
}
