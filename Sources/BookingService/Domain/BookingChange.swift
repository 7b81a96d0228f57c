import CampusKit
import Foundation

/// Which bookings of a weekly series a change applies to.
public enum ChangeScope: String, Sendable, CaseIterable {
    /// The one booking named.
    case this
    /// The booking named and the series' later bookings that are still confirmed.
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
    public let roomID: Int

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
    /// The new slot of `room` is taken: by `existing` when it could be read back.
    case conflict(room: String, existing: String?, date: CalendarDate, bookings: Int)
    /// A booking of the change was changed or cancelled after it was read.
    case changedMeanwhile(Booking)
}

extension BookingPlanner {
    /// The change of `bookings` — the booking named first, then (for `following`) the later
    /// confirmed bookings of its series — into `request`. A new date moves every one of them by
    /// the same number of days; new times, room and purpose apply to each.
    public func change(_ bookings: [Booking], to request: BookingChangeRequest, limits: BookingLimits, now: Date) throws -> BookingMove {
        guard let named = bookings.first else { preconditionFailure("a change names at least one booking") }
        guard !request.changesNothing else { throw BookingChangeRefusal.nothingToChange }
        if request.scope == .following && named.seriesID == nil { throw BookingChangeRefusal.notInSeries(bookingID: named.id) }
        guard named.status == .confirmed else { throw BookingChangeRefusal.cancelled(named) }
        guard named.startsAt > now else { throw BookingChangeRefusal.begun(named) }

        let date = try request.date.map { try Self.date($0, field: "date") } ?? named.date
        let start = try request.startTime.map { try Self.time($0, field: "start_time") } ?? named.startTime
        let end = try request.endTime.map { try Self.time($0, field: "end_time") } ?? named.endTime
        let purpose = try request.purpose.map(Self.purpose) ?? named.purpose
        let roomID = request.roomID ?? named.roomID
        try grid.validate(start: start, end: end)

        let today = grid.calendar.date(at: now)
        guard date >= today else {
            throw BookingRefusal.dateInPast(date, today: today, zone: grid.calendar.timeZone.campusName)
        }
        let first = try grid.interval(on: date, start: start, end: end)
        guard first.startsAt > now else { throw BookingRefusal.slotBegun(start, date: date) }
        try limits.checkLength(minutes: Int(first.endsAt.timeIntervalSince(first.startsAt) / 60))
        // As for a new series: the first booking must lie inside the advance window.
        if date != named.date { try limits.checkAdvance(date: date, today: today) }

        let shift = named.date.days(until: date)
        let steps = try bookings.map { before in
            let day = before.date.adding(days: shift)
            let interval = try grid.interval(on: day, start: start, end: end)
            var after = before
            after.roomID = roomID
            after.date = day
            after.startTime = start
            after.endTime = end
            after.startsAt = interval.startsAt
            after.endsAt = interval.endsAt
            after.purpose = purpose
            return BookingMove.Step(before: before, after: after)
        }
        return BookingMove(steps: steps, roomID: roomID)
    }
}
