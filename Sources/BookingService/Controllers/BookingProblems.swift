import CampusKit

// The answers of the booking domain's refusals: status, stable code and a sentence a person
// understands. The one place where booking errors meet HTTP.

extension BookingRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .roleMayNotBook(let role):
            .forbidden("Your role (\(role.rawValue)) may not book rooms; bookings are for students and faculty.")
        case .facultyOnlyRoom(let room, let who):
            .forbidden("\(room) is for faculty only; \(who.lowercased()) cannot book it.")
        case .seriesForFacultyOnly(let who):
            .forbidden("\(who) cannot book weekly series; only faculty can.")
        case .seriesWeeksOutOfRange(let range):
            .invalid("repeat_weeks", "must be from \(range.lowerBound) to \(range.upperBound) (the number of weekly bookings, the first included)")
        case .tooLong(let who, let maxMinutes, let minutes):
            Self.limit("\(who) can book at most \(Self.duration(maxMinutes)) at a time (this booking is \(Self.duration(minutes))).")
        case .tooFarAhead(let who, let maxDays, let date, let days):
            Self.limit("\(who) can book at most \(maxDays) days ahead (\(date) is \(days) days away).")
        case .tooManyUpcoming(let who, let max, let existing, let adding):
            Self.limit(
                "\(who) can have at most \(max) upcoming bookings at once (you have \(existing)\(adding == 1 ? "" : ", and this series adds \(adding)")); cancel one to book another."
            )
        case .dateInPast(let date, let today, let zone):
            .invalid("date", "\(date) is in the past (today is \(today) in \(zone))")
        case .slotBegun(let start, let date):
            .invalid("start_time", "\(start) on \(date) has already begun; choose a later slot")
        case .conflict(let room, let existing, let date, let weeks):
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
        let hours = minutes / 60
        let rest = minutes % 60
        let hourText = hours == 1 ? "1 hour" : "\(hours) hours"
        let minuteText = rest == 1 ? "1 minute" : "\(rest) minutes"
        if hours == 0 { return minuteText }
        return rest == 0 ? hourText : "\(hourText) \(minuteText)"
    }
}

extension BookingChangeRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .nothingToChange:
            .invalid("body", "name at least one of room_id, date, start_time, end_time or purpose to change")
        case .startNotBeforeEnd(let start, let end):
            .invalid("end_time", "the booking ends at \(end), not after the new start_time \(start); send end_time too")
        case .notInSeries(let id):
            .invalid("apply_to", "booking \(id) is not part of a weekly series; leave apply_to out or send \"this\"")
        case .cancelled(let booking):
            .conflict("Your booking of \(booking.spokenWhen) is cancelled and cannot be changed; make a new booking instead.", code: "booking_cancelled")
        case .begun(let booking):
            .conflict("Your booking of \(booking.spokenWhen) has already begun and can no longer be changed.", code: "booking_started")
        case .conflict(let room, let existing, let date, let bookings):
            .conflict(
                (existing.map { "\(room) is already booked \($0)" } ?? "\(room) was just booked by someone else for that time on \(date)")
                    + (bookings > 1 ? ", so none of the \(bookings) bookings were changed." : ", so your booking was not changed."),
                code: "booking_conflict"
            )
        case .changedMeanwhile(let booking):
            .conflict(
                "Your booking of \(booking.spokenWhen) was changed or cancelled since it was read; nothing was changed. Reload it and try again.",
                code: "booking_changed")
        }
    }
}

extension RoomClosedRefusal: ProblemConvertible {
    public var problem: APIError {
        .conflict(
            "\(room) is closed \(closure.spokenPeriod): \(closure.reason)" + (closure.reason.last.map { ".!?".contains($0) } == true ? "" : ".")
                + (bookings > 1 ? " None of the \(bookings) bookings were \(verb)." : ""),
            code: "room_closed")
    }
}

extension RoomOutOfOrderRefusal: ProblemConvertible {
    public var problem: APIError {
        .conflict(
            "\(room) is out of order until maintenance ticket #\(ticketID) is resolved: choose another room."
                + (bookings > 1 ? " None of the \(bookings) bookings were \(verb)." : ""),
            code: "room_out_of_order")
    }
}

extension ClosureRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .endsBeforeItStarts(let from, let to): .invalid("to_date", "\(to) is before the first closed day, \(from)")
        case .startsInThePast(let from, let today): .invalid("from_date", "\(from) is in the past (today is \(today)); a closure starts today or later")
        case .startsTooFarAhead(let from, let latest): .invalid("from_date", "\(from) is too far ahead; a closure starts by \(latest)")
        case .tooLong(let days, let maximum): .invalid("to_date", "the closure would last \(days) days; it may last at most \(maximum)")
        case .overlaps(let existing):
            .conflict(
                "The room is already closed \(existing.spokenPeriod) (\(existing.reason)); change or remove that closure instead.",
                code: "closure_overlaps")
        }
    }
}

extension SlotRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .endNotAfterStart(let start, let end):
            .invalid("end_time", "\(end) must be after start_time \(start)")
        case .startBeforeOpening(let start, let hours):
            .invalid("start_time", "\(start) is before opening time \(hours.open); \(Self.bookable(hours))")
        case .startNotBeforeClosing(let start, let hours):
            .invalid("start_time", "\(start) is not before closing time \(hours.close); \(Self.bookable(hours))")
        case .endAfterClosing(let end, let hours):
            .invalid("end_time", "\(end) is after closing time \(hours.close); \(Self.bookable(hours))")
        case .notSlotStart(let start, let grid):
            .invalid("start_time", "\(start) is not the start of a slot; \(grid)")
        case .notSlotEnd(let end, let grid):
            .invalid("end_time", "\(end) is not the end of a slot; \(grid)")
        case .skippedByClocks(let start, let end, let date, let zone):
            .invalid("start_time", "\(start)–\(end) on \(date) falls in the hour the clocks skip in \(zone); choose other times")
        }
    }

    private static func bookable(_ hours: Hours) -> String { "rooms can be booked \(hours.open)–\(hours.close)" }
}

extension RoomRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .capacityOutOfRange(let range):
            .invalid("capacity", "must be from \(range.lowerBound) to \(range.upperBound) people")
        case .tooManyFeatures(let max):
            .invalid("features", "may list at most \(max) features")
        }
    }
}

extension CheckInRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .notRequired(let booking):
            .conflict(
                "Your booking of \(booking.spokenWhen) needs no check-in.", code: "check_in_not_required")
        case .notOpenYet(let booking, let opensAt):
            .conflict("Check-in for your booking of \(booking.spokenWhen) opens at \(opensAt).", code: "check_in_not_open")
        case .closed(let booking, let closedAt):
            .conflict(
                "Check-in for your booking of \(booking.spokenWhen) closed at \(closedAt); the booking is released for others.", code: "check_in_closed")
        case .cancelled(let booking):
            .conflict(
                booking.cancelledBy == Booking.releasedForNoCheckIn
                    ? "Your booking of \(booking.spokenWhen) was released: nobody checked in before check-in closed."
                    : "Your booking of \(booking.spokenWhen) is cancelled; there is nothing to check in to.", code: "booking_cancelled")
        case .pending(let booking):
            .conflict(
                "Your request for \(booking.spokenWhen) is still waiting for approval; check in once it is approved.", code: "booking_pending")
        }
    }
}

extension ApprovalRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .notApprover(let room, let approver):
            .forbidden("Requests for \(room) are decided by \(approver); you cannot decide them.")
        case .notPending(let booking):
            .conflict(
                "Booking \(booking.id) (\(booking.spokenWhen)) is \(booking.status == .confirmed ? "already confirmed" : "cancelled"); there is no request to decide.",
                code: "not_pending")
        case .notInSeries(let id):
            .invalid("apply_to", "booking \(id) is not part of a weekly series; leave apply_to out or send \"this\"")
        }
    }
}
