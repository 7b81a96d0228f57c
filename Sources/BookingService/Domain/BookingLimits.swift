import CampusKit

/// CONTRACT §6's limits, one row per role that may book. Admins and technicians have no row:
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
        .student: BookingLimits(longestBookingMinutes: 2 * 60, daysAhead: 14, upcomingAtOnce: 3, mayBookFacultyOnlyRooms: false, mayBookWeeklySeries: false, who: "Students"),
        .faculty: BookingLimits(longestBookingMinutes: 8 * 60, daysAhead: 90, upcomingAtOnce: 20, mayBookFacultyOnlyRooms: true, mayBookWeeklySeries: true, who: "Faculty"),
    ]

    /// `repeat_weeks`: the number of weekly bookings of a series, the first included.
    public static let seriesWeeks = 2...15

    /// The limits of `role`; 403 `role_not_allowed` for a role that cannot book.
    public static func of(_ role: Role) throws -> BookingLimits {
        guard let limits = byRole[role] else {
            throw APIError.forbidden("Your role (\(role.rawValue)) may not book rooms; bookings are for students and faculty.")
        }
        return limits
    }

    public func checkLength(minutes: Int) throws {
        guard minutes <= longestBookingMinutes else {
            throw Self.limit("\(who) can book at most \(Self.duration(longestBookingMinutes)) at a time (this booking is \(Self.duration(minutes))).")
        }
    }

    public func checkAdvance(date: CalendarDate, today: CalendarDate) throws {
        let days = today.days(until: date)
        guard days <= daysAhead else {
            throw Self.limit("\(who) can book at most \(daysAhead) days ahead (\(date) is \(days) days away).")
        }
    }

    /// `existing` confirmed bookings that have not ended, `adding` new ones.
    public func checkUpcoming(existing: Int, adding: Int) throws {
        guard existing + adding <= upcomingAtOnce else {
            let this = adding == 1 ? "" : ", and this series adds \(adding)"
            throw Self.limit("\(who) can have at most \(upcomingAtOnce) upcoming bookings at once (you have \(existing)\(this)); cancel one to book another.")
        }
    }

    public func checkRoom(_ room: Room) throws {
        guard !room.facultyOnly || mayBookFacultyOnlyRooms else {
            throw APIError.forbidden("\(room.name) is for faculty only; \(who.lowercased()) cannot book it.")
        }
    }

    public func checkSeries(weeks: Int) throws {
        guard mayBookWeeklySeries else {
            throw APIError.forbidden("\(who) cannot book weekly series; only faculty can.")
        }
        guard Self.seriesWeeks.contains(weeks) else {
            throw APIError.invalid("repeat_weeks", "must be from \(Self.seriesWeeks.lowerBound) to \(Self.seriesWeeks.upperBound) (the number of weekly bookings, the first included)")
        }
    }

    static func limit(_ detail: String) -> APIError {
        APIError(.unprocessableContent, code: "booking_limit", detail: detail)
    }

    /// `2 hours`, `1 hour 30 minutes`, `45 minutes`.
    static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        let hourText = hours == 1 ? "1 hour" : "\(hours) hours"
        let minuteText = rest == 1 ? "1 minute" : "\(rest) minutes"
        if hours == 0 { return minuteText }
        return rest == 0 ? hourText : "\(hourText) \(minuteText)"
    }
}
