import CampusKit
import Foundation

/// Checks a booking request against the slot grid, the clock and the role's limits that need
/// no database, and spells out its occurrences. Pure: the same input gives the same plan.
public struct BookingPlanner: Sendable {
    public let grid: SlotGrid
    public static let maximumPurposeLength = 200

    public init(grid: SlotGrid) { self.grid = grid }

    /// The request's fields as they came, still unchecked.
    public struct Request: Sendable {
        public var roomID: Int
        public var date: String
        public var startTime: String
        public var endTime: String
        public var purpose: String
        public var repeatWeeks: Int?

        public init(roomID: Int, date: String, startTime: String, endTime: String, purpose: String, repeatWeeks: Int? = nil) {
            self.roomID = roomID
            self.date = date
            self.startTime = startTime
            self.endTime = endTime
            self.purpose = purpose
            self.repeatWeeks = repeatWeeks
        }
    }

    public func plan(_ request: Request, userID: String, limits: BookingLimits, now: Date, seriesID: @autoclosure () -> String) throws -> BookingPlan {
        let date = try Self.date(request.date, field: "date")
        let start = try Self.time(request.startTime, field: "start_time")
        let end = try Self.time(request.endTime, field: "end_time")
        let purpose = try Self.purpose(request.purpose)
        try grid.validate(start: start, end: end)
        if let weeks = request.repeatWeeks { try limits.checkSeries(weeks: weeks) }

        let today = grid.calendar.date(at: now)
        guard date >= today else {
            throw BookingRefusal.dateInPast(date, today: today, zone: grid.calendar.timeZone.campusName)
        }
        let first = try grid.interval(on: date, start: start, end: end)
        guard first.startsAt > now else {
            throw BookingRefusal.slotBegun(start, date: date)
        }
        try limits.checkLength(minutes: Int(first.endsAt.timeIntervalSince(first.startsAt) / 60))
        // A series may run past the advance window; its first booking must lie inside it.
        try limits.checkAdvance(date: date, today: today)

        let weeks = request.repeatWeeks ?? 1
        let occurrences = try (0..<weeks).map { week in
            let day = date.adding(days: 7 * week)
            let interval = week == 0 ? first : try grid.interval(on: day, start: start, end: end)
            return Occurrence(date: day, startsAt: interval.startsAt, endsAt: interval.endsAt)
        }
        return BookingPlan(
            roomID: request.roomID, userID: userID, startTime: start, endTime: end, purpose: purpose,
            occurrences: occurrences, seriesID: request.repeatWeeks == nil ? nil : seriesID()
        )
    }

    public static func date(_ text: String, field: String) throws -> CalendarDate {
        guard let date = CalendarDate(text) else {
            throw FieldRefusal(field, .notA(value: text, kind: "a date YYYY-MM-DD"))
        }
        return date
    }

    public static func time(_ text: String, field: String) throws -> WallClockTime {
        guard let time = WallClockTime(text) else {
            throw FieldRefusal(field, .notA(value: text, kind: "a time HH:MM (00:00–23:59)"))
        }
        return time
    }

    public static func purpose(_ raw: String) throws -> String {
        let purpose = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Line breaks are kept (the calendar escapes them); other control characters are not text.
        try TextRule.check(purpose, field: "purpose", maximum: maximumPurposeLength, controls: .onlyLineBreaksAndTabs)
        return purpose
    }
}
