import CampusKit

// The answers of the booking domain's refusals: status, stable code and a sentence a person
// understands. The one place where booking errors meet HTTP.

extension BookingRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case let .roleMayNotBook(role):
            .forbidden("Your role (\(role.rawValue)) may not book rooms; bookings are for students and faculty.")
        case let .facultyOnlyRoom(room, who):
            .forbidden("\(room) is for faculty only; \(who.lowercased()) cannot book it.")
        case let .seriesForFacultyOnly(who):
            .forbidden("\(who) cannot book weekly series; only faculty can.")
        case let .seriesWeeksOutOfRange(range):
            .invalid("repeat_weeks", "must be from \(range.lowerBound) to \(range.upperBound) (the number of weekly bookings, the first included)")
        case let .tooLong(who, maxMinutes, minutes):
            Self.limit("\(who) can book at most \(Self.duration(maxMinutes)) at a time (this booking is \(Self.duration(minutes))).")
        case let .tooFarAhead(who, maxDays, date, days):
            Self.limit("\(who) can book at most \(maxDays) days ahead (\(date) is \(days) days away).")
        case let .tooManyUpcoming(who, max, existing, adding):
            Self.limit(
                "\(who) can have at most \(max) upcoming bookings at once (you have \(existing)\(adding == 1 ? "" : ", and this series adds \(adding)")); cancel one to book another."
            )
        case let .dateInPast(date, today, zone):
            .invalid("date", "\(date) is in the past (today is \(today) in \(zone))")
        case let .slotBegun(start, date):
            .invalid("start_time", "\(start) on \(date) has already begun; choose a later slot")
        case let .conflict(room, existing, date, weeks):
            .conflict(
                (existing.map { "\(room) is already booked \($0)" } ?? "\(room) was just booked by someone else for that time on \(date)")
                    + (weeks > 1 ? ", so none of the \(weeks) weekly bookings were made." : "."),
                code: "booking_conflict"
            )
        }
    }

    private static func limit(_ detail: String) -> APIError {
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

extension SlotRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case let .endNotAfterStart(start, end):
            .invalid("end_time", "\(end) must be after start_time \(start)")
        case let .startBeforeOpening(start, hours):
            .invalid("start_time", "\(start) is before opening time \(hours.open); \(Self.bookable(hours))")
        case let .startNotBeforeClosing(start, hours):
            .invalid("start_time", "\(start) is not before closing time \(hours.close); \(Self.bookable(hours))")
        case let .endAfterClosing(end, hours):
            .invalid("end_time", "\(end) is after closing time \(hours.close); \(Self.bookable(hours))")
        case let .notSlotStart(start, grid):
            .invalid("start_time", "\(start) is not the start of a slot; \(grid)")
        case let .notSlotEnd(end, grid):
            .invalid("end_time", "\(end) is not the end of a slot; \(grid)")
        case let .skippedByClocks(start, end, date, zone):
            .invalid("start_time", "\(start)–\(end) on \(date) falls in the hour the clocks skip in \(zone); choose other times")
        }
    }

    private static func bookable(_ hours: Hours) -> String { "rooms can be booked \(hours.open)–\(hours.close)" }
}

extension RoomRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case let .capacityOutOfRange(range):
            .invalid("capacity", "must be from \(range.lowerBound) to \(range.upperBound) people")
        case let .tooManyFeatures(max):
            .invalid("features", "may list at most \(max) features")
        }
    }
}
