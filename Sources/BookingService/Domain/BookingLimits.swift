import CampusKit

/// What a booking request is refused for by the rules of the campus (not by the format of a
/// field, which is a `FieldRefusal`, nor by the slot grid, a `SlotRefusal`).
public enum BookingRefusal: Error, Sendable, Equatable {
    /// Admins and technicians cannot book.
    case roleMayNotBook(Role)
    /// `who` ("Students") may not book the faculty-only `room`.
    case facultyOnlyRoom(room: String, who: String)
    case seriesForFacultyOnly(who: String)
    /// `repeat_weeks` outside the allowed number of weekly bookings.
    case seriesWeeksOutOfRange(ClosedRange<Int>)
    case tooLong(who: String, maxMinutes: Int, minutes: Int)
    case tooFarAhead(who: String, maxDays: Int, date: CalendarDate, days: Int)
    /// `existing` upcoming bookings plus `adding` new ones exceed `max`.
    case tooManyUpcoming(who: String, max: Int, existing: Int, adding: Int)
    case dateInPast(CalendarDate, today: CalendarDate, zone: String)
    case slotBegun(WallClockTime, date: CalendarDate)
    /// `room` is taken: by `existing` ("10:00–11:00 on 2026-12-01") when it could be read back.
    /// `weeks` is the number of bookings of the refused request (1 for a single booking).
    case conflict(room: String, existing: String?, date: CalendarDate, weeks: Int)
}

/// docs/contract.md §6's limits, one row per role that may book. Admins and technicians have no row:
/// they cannot book at all.
public struct BookingLimits: Sendable, Equatable {
    public let longestBookingMinutes: Int
    /// Booking date minus today's campus date, in days.
    public let daysAhead: Int
    /// Confirmed bookings that have not ended yet.
    public let upcomingAtOnce: Int
    public let mayBookFacultyOnlyRooms: Bool
    public let mayBookWeeklySeries: Bool
    /// "Students" / "Faculty", as the refusals name the role.
    public let who: String

    public static let byRole: [Role: BookingLimits] = [
        //                   longest              how far ahead   upcoming          faculty-only rooms             weekly series
        .student: BookingLimits(
            longestBookingMinutes: 2 * 60, daysAhead: 14, upcomingAtOnce: 3, mayBookFacultyOnlyRooms: false, mayBookWeeklySeries: false, who: "Students"),
        .faculty: BookingLimits(
            longestBookingMinutes: 8 * 60, daysAhead: 90, upcomingAtOnce: 20, mayBookFacultyOnlyRooms: true, mayBookWeeklySeries: true, who: "Faculty"),
    ]

    /// `repeat_weeks`: the number of weekly bookings of a series, the first included.
    public static let seriesWeeks = 2...15

    /// The limits of `role`; refused for a role that cannot book.
    public static func of(_ role: Role) throws(BookingRefusal) -> BookingLimits {
        guard let limits = byRole[role] else { throw .roleMayNotBook(role) }
        return limits
    }

    public func checkLength(minutes: Int) throws(BookingRefusal) {
        guard minutes <= longestBookingMinutes else { throw .tooLong(who: who, maxMinutes: longestBookingMinutes, minutes: minutes) }
    }

    public func checkAdvance(date: CalendarDate, today: CalendarDate) throws(BookingRefusal) {
        let days = today.days(until: date)
        guard days <= daysAhead else { throw .tooFarAhead(who: who, maxDays: daysAhead, date: date, days: days) }
    }

    /// `existing` confirmed bookings that have not ended, `adding` new ones.
    public func checkUpcoming(existing: Int, adding: Int) throws(BookingRefusal) {
        guard existing + adding <= upcomingAtOnce else {
            throw .tooManyUpcoming(who: who, max: upcomingAtOnce, existing: existing, adding: adding)
        }
    }

    public func checkRoom(_ room: Room) throws(BookingRefusal) {
        guard !room.facultyOnly || mayBookFacultyOnlyRooms else { throw .facultyOnlyRoom(room: room.name, who: who) }
    }

    public func checkSeries(weeks: Int) throws(BookingRefusal) {
        guard mayBookWeeklySeries else { throw .seriesForFacultyOnly(who: who) }
        guard Self.seriesWeeks.contains(weeks) else { throw .seriesWeeksOutOfRange(Self.seriesWeeks) }
    }
}
