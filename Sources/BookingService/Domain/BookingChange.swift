import CampusKit
import Foundation

/// Which bookings of a weekly series a change applies to.
public enum ChangeScope: String, Sendable, CaseIterable {
    /// The one booking named.
    case this
    /// The booking named and the series' later bookings that still hold their slots (confirmed or pending).
    case following
}

/// What a booker asks to change in a booking, as it came: nil keeps the booking's own value.
public struct BookingChangeRequest: Sendable, Equatable {
    public var roomID: Int?
    public var date: String?
    public var startTime: String?
    public var endTime: String?
    public var purpose: String?
    public var scope: ChangeScope

    public init(roomID: Int? = nil, date: String? = nil, startTime: String? = nil, endTime: String? = nil, purpose: String? = nil, scope: ChangeScope = .this) {
        self.roomID = roomID
        self.date = date
        self.startTime = startTime
        self.endTime = endTime
        self.purpose = purpose
        self.scope = scope
    }

    public var changesNothing: Bool { roomID == nil && date == nil && startTime == nil && endTime == nil && purpose == nil }
}

/// A checked change, ready for the repository: each booking as it was read (its revision tells
/// whether someone changed it since) and as it will be. Every result lies on the slot grid, in
/// the future and within the role's length and advance limits; the room, its faculty-only rule
/// and overlaps are checked in the transaction that stores it.
public struct BookingMove: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public let before: Booking
        public let after: Booking
    }

    public let steps: [Step]
    /// Who asks, for the approver when the change makes a request of it (a move into, or within, a room that requires approval).
    public var requester: Requester? = nil

    /// The rooms the bookings will be in, in one order (the order locks are taken in).
    public var roomIDs: [Int] { Array(Set(steps.map(\.after.roomID))).sorted() }

    /// The steps in an order in which no booking, moved alone, lands on another that has yet to
    /// move: latest first when the series moves later, earliest first otherwise.
    public var storingOrder: [Step] {
        guard let first = steps.first, first.after.startsAt > first.before.startsAt else { return steps }
        return steps.reversed()
    }

    public var changesAnything: Bool { steps.contains { $0.before != $0.after } }
}

/// Why a change is refused before any overlap is looked at.
public enum BookingChangeRefusal: Error, Sendable, Equatable {
    /// The body names nothing to change.
    case nothingToChange
    /// `following` for a booking outside any series.
    case notInSeries(bookingID: Int)
    case cancelled(Booking)
    case begun(Booking)
    /// Only `start_time` was sent, and it is not before the booking's own end.
    case startNotBeforeEnd(start: WallClockTime, end: WallClockTime)
    /// The new slot of `room` is taken: by `existing` when it could be read back.
    case conflict(room: String, existing: String?, date: CalendarDate, bookings: Int)
    /// A booking of the change was changed or cancelled after it was read.
    case changedMeanwhile(Booking)
}

extension BookingPlanner {
    /// The change of `bookings` — the booking named first, then (for `following`) the later
    /// confirmed bookings of its series — into `request`. Only the fields sent change: a new date
    /// moves every one of them by the same number of days; new times, room or purpose apply to
    /// each, and each keeps its own for the fields left out (a week moved on its own stays put).
    public func change(_ bookings: [Booking], to request: BookingChangeRequest, limits: BookingLimits, now: Date) throws -> BookingMove {
        guard let named = bookings.first else { preconditionFailure("a change names at least one booking") }
        guard !request.changesNothing else { throw BookingChangeRefusal.nothingToChange }
        if request.scope == .following && named.seriesID == nil { throw BookingChangeRefusal.notInSeries(bookingID: named.id) }
        guard named.status.holdsSlot else { throw BookingChangeRefusal.cancelled(named) }
        guard named.startsAt > now else { throw BookingChangeRefusal.begun(named) }

        let date = try request.date.map { try Self.date($0, field: "date") } ?? named.date
        let start = try request.startTime.map { try Self.time($0, field: "start_time") }
        let end = try request.endTime.map { try Self.time($0, field: "end_time") }
        let purpose = try request.purpose.map(Self.purpose)
        let today = grid.calendar.date(at: now)
        guard date >= today else {
            throw BookingRefusal.dateInPast(date, today: today, zone: grid.calendar.timeZone.campusName)
        }
        // As for a new series: the first booking must lie inside the advance window.
        if date != named.date { try limits.checkAdvance(date: date, today: today) }

        let shift = named.date.days(until: date)
        let steps = try bookings.map { before in
            let (from, until) = (start ?? before.startTime, end ?? before.endTime)
            // Only the start was sent, and it is not before the booking's own end.
            if end == nil && until <= from { throw BookingChangeRefusal.startNotBeforeEnd(start: from, end: until) }
            try grid.validate(start: from, end: until)
            let day = before.date.adding(days: shift)
            let interval = try grid.interval(on: day, start: from, end: until)
            try limits.checkLength(minutes: Int(interval.endsAt.timeIntervalSince(interval.startsAt) / 60))
            var after = before
            after.roomID = request.roomID ?? before.roomID
            after.date = day
            after.startTime = from
            after.endTime = until
            after.startsAt = interval.startsAt
            after.endsAt = interval.endsAt
            after.purpose = purpose ?? before.purpose
            return BookingMove.Step(before: before, after: after)
        }
        if let first = steps.first?.after, first.startsAt <= now { throw BookingRefusal.slotBegun(first.startTime, date: first.date) }
        return BookingMove(steps: steps)
    }
}
