import CampusKit
import Foundation

/// Check-in for rooms that require it (issue 19, point 3): the owner checks in from `minutes`
/// before the start until `minutes` after it (or halfway through, if sooner); a booking nobody checked in to by then is released
/// for others. The window is fixed when the booking is made or moved (``Booking/checkIn``), so
/// turning check-in on for a room binds the bookings made from then on, not those already made.
public struct CheckInRule: Sendable, Equatable {
    /// `CHECK_IN_MINUTES`.
    public let minutes: Int
    public static let allowedMinutes = 5...120

    public init(minutes: Int = 15) { self.minutes = minutes }

    /// The window of a booking from `startsAt` to `endsAt` in a room that requires check-in: it
    /// closes `minutes` after the start, or halfway through the booking if that is sooner, so a
    /// booking nobody came to is released while there is something left of it.
    public func window(startingAt startsAt: Date, endingAt endsAt: Date) -> CheckInWindow {
        let span = TimeInterval(minutes * 60)
        let halfway = startsAt.addingTimeInterval(endsAt.timeIntervalSince(startsAt) / 2)
        return CheckInWindow(opensAt: startsAt.addingTimeInterval(-span), closesAt: min(startsAt.addingTimeInterval(span), halfway))
    }

    /// The window `booking` has in `room`: nil when the room does not require check-in.
    public func window(for booking: Booking, in room: Room) -> CheckInWindow? {
        room.checkInRequired ? window(startingAt: booking.startsAt, endingAt: booking.endsAt) : nil
    }
}

/// When a booking's owner may check in, and when it is released if they have not.
public struct CheckInWindow: Sendable, Equatable {
    public let opensAt: Date
    public let closesAt: Date

    public init(opensAt: Date, closesAt: Date) {
        self.opensAt = opensAt
        self.closesAt = closesAt
    }
}

/// Why a check-in is refused.
public enum CheckInRefusal: Error, Sendable, Equatable {
    case notRequired(Booking)
    case notOpenYet(Booking, opensAt: WallClockTime)
    /// Too late: released, or about to be by the next sweep.
    case closed(Booking, closedAt: WallClockTime)
    case cancelled(Booking)
    /// A request waiting for approval: nothing to check in to yet.
    case pending(Booking)
}

extension Booking {
    /// Checks whether its owner may check in at `now`; true if they already have (nothing to do).
    public func checkInAllowed(now: Date) throws(CheckInRefusal) -> Bool {
        if status == .pending { throw .pending(self) }
        guard status == .confirmed else { throw .cancelled(self) }
        guard let window = checkIn else { throw .notRequired(self) }
        if checkedInAt != nil { return true }
        guard now >= window.opensAt else { throw .notOpenYet(self, opensAt: checkInTime(window.opensAt)) }
        guard now < window.closesAt else { throw .closed(self, closedAt: checkInTime(window.closesAt)) }
        return false
    }

    /// The campus wall-clock time of a moment of its own day (the window lies within minutes of its start).
    func checkInTime(_ instant: Date) -> WallClockTime {
        let minutes = startTime.minutesSinceMidnight + Int((instant.timeIntervalSince(startsAt) / 60).rounded())
        return WallClockTime(minutesSinceMidnight: ((minutes % 1440) + 1440) % 1440)
    }

    /// What a released booking's `cancelledBy` holds in place of an admin's id.
    public static let releasedForNoCheckIn = "no-check-in"

    /// The reason a released booking keeps, as its owner reads it on *My bookings*.
    public var releaseReason: String {
        let closedAt = checkIn.map { checkInTime($0.closesAt).description } ?? startTime.description
        return "Released: nobody checked in by \(closedAt)."
    }
}

extension BookingNotices {
    public static func released(_ booking: Booking, room: Room?) -> SystemNotice {
        SystemNotice(
            title: "Booking released",
            message:
                "Nobody checked in to \(roomName(room, id: booking.roomID)), \(booking.spokenWhen) by \(booking.checkIn.map { booking.checkInTime($0.closesAt).description } ?? "its start"), so it was released for others.",
            level: .warning, audience: .user(booking.userID), link: NoticeLink(.booking, id: booking.id), kind: .bookingUpdates)
    }
}
