import CampusKit
import Foundation

/// A room closed for whole campus days (maintenance, exams): nobody can book into it. Bookings
/// already in it stay until an admin cancels them, with a reason their owners are told.
public struct RoomClosure: Sendable, Equatable {
    public var id: Int
    public let roomID: Int
    /// The first and last closed day, on the campus calendar.
    public let fromDate: CalendarDate
    public let toDate: CalendarDate
    /// Midnight at the start of `fromDate` to midnight after `toDate`, campus time.
    public let startsAt: Date
    public let endsAt: Date
    public let reason: String
    public let createdBy: String
    public let createdAt: Date

    /// "on Monday 7 December 2026" / "from Monday 7 December 2026 to Friday 11 December 2026".
    public var spokenPeriod: String {
        fromDate == toDate ? "on \(fromDate.spoken)" : "from \(fromDate.spoken) to \(toDate.spoken)"
    }

    public func overlaps(startsAt: Date, endsAt: Date) -> Bool { self.startsAt < endsAt && self.endsAt > startsAt }
}

/// Why a closure is refused before it reaches the database.
public enum ClosureRefusal: Error, Sendable, Equatable {
    case endsBeforeItStarts(from: CalendarDate, to: CalendarDate)
    case startsInThePast(CalendarDate, today: CalendarDate)
    case startsTooFarAhead(CalendarDate, latest: CalendarDate)
    case tooLong(days: Int, maximum: Int)
    /// The room is already closed for part of that period (by `existing`).
    case overlaps(RoomClosure)
}

/// Bookings refused because their room is closed then.
public struct RoomClosedRefusal: Error, Sendable, Equatable {
    public let room: String
    public let closure: RoomClosure
    /// How many bookings the refused request would have made or changed.
    public let bookings: Int
    /// "made" for new bookings, "changed" for a change.
    public let verb: String

    /// The first closure of `closures` that any of `intervals` falls into.
    public static func first(_ intervals: [(startsAt: Date, endsAt: Date)], among closures: [RoomClosure]) -> RoomClosure? {
        for interval in intervals {
            if let closure = closures.first(where: { $0.overlaps(startsAt: interval.startsAt, endsAt: interval.endsAt) }) { return closure }
        }
        return nil
    }
}

extension BookingPlanner {
    /// The longest closure at once, in days (a year and a day: a room closed for longer is better deleted).
    public static let longestClosureDays = 366
    public static let maximumClosureReasonLength = 500
    /// How far ahead a closure may start, in days.
    public static let furthestClosureStartDays = 730

    /// A checked closure of `roomID` for `from`…`to` (both closed), not yet stored.
    public func closure(roomID: Int, from: String, to: String, reason: String, by userID: String, now: Date) throws -> RoomClosure {
        let fromDate = try Self.date(from, field: "from_date")
        let toDate = try Self.date(to, field: "to_date")
        let reason = try Self.reason(reason)
        guard toDate >= fromDate else { throw ClosureRefusal.endsBeforeItStarts(from: fromDate, to: toDate) }
        let today = grid.calendar.date(at: now)
        // From today on (a closure in force now starts today); no further ahead than two years.
        guard fromDate >= today else { throw ClosureRefusal.startsInThePast(fromDate, today: today) }
        let latest = today.adding(days: Self.furthestClosureStartDays)
        guard fromDate <= latest else { throw ClosureRefusal.startsTooFarAhead(fromDate, latest: latest) }
        let days = fromDate.days(until: toDate) + 1
        guard days <= Self.longestClosureDays else { throw ClosureRefusal.tooLong(days: days, maximum: Self.longestClosureDays) }
        return RoomClosure(
            id: 0, roomID: roomID, fromDate: fromDate, toDate: toDate, startsAt: grid.calendar.instant(fromDate, WallClockTime(minutesSinceMidnight: 0)),
            endsAt: grid.calendar.instant(toDate.adding(days: 1), WallClockTime(minutesSinceMidnight: 0)), reason: reason, createdBy: userID,
            createdAt: now.wholeSeconds)
    }

    /// A reason people are told (a closure's, an admin's cancellation): required, one paragraph or a few.
    public static func reason(_ raw: String, field: String = "reason") throws -> String {
        let reason = raw.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(reason, field: field, maximum: maximumClosureReasonLength, controls: .onlyLineBreaksAndTabs)
        return reason
    }
}
