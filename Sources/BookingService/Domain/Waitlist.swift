import CampusKit
import Foundation

/// "Tell me if it frees up" (issue 19, point 2): on a taken slot a student or faculty member joins
/// the room's waiting list. When the slot is free again (cancelled, released, moved away) the
/// service's own sweep serves the first in line: a notice, or, if they asked for it, the booking
/// itself, made for them under their own limits. The next in line is served only once the first
/// has had ``Waitlist/firstInLineMinutes`` to act.
public enum Waitlist {
    /// How long the first in line has the freed slot to themselves before the next is told.
    public static let firstInLineMinutes = 10
    /// Slots one person may wait for at once.
    public static let maximumWaiting = 10
}

public enum WaitlistStatus: String, Codable, Sendable, CaseIterable {
    /// In line.
    case waiting
    /// Told the slot is free (and, if they asked to be booked, why that could not be done).
    case offered
    /// Booked for them.
    case booked
    // An entry whose slot has ended is no longer listed, whatever its status.
}

/// One person waiting for one slot of one room.
public struct WaitlistEntry: Sendable, Equatable {
    public var id: Int
    public var roomID: Int
    public var userID: String
    /// The role they joined with: the limits a booking made for them is held to.
    public var role: Role
    public var date: CalendarDate
    public var startTime: WallClockTime
    public var endTime: WallClockTime
    public var startsAt: Date
    public var endsAt: Date
    public var purpose: String
    public var autoBook: Bool
    public var status: WaitlistStatus
    public var createdAt: Date
    public var servedAt: Date? = nil
    public var bookingID: Int? = nil
    /// 1 for the first in line among those still waiting for an overlapping slot; nil once served.
    public var position: Int? = nil

    public var spokenWhen: String { "\(date.spoken), \(startTime)–\(endTime)" }

    func overlaps(roomID: Int, startsAt: Date, endsAt: Date) -> Bool {
        self.roomID == roomID && self.startsAt < endsAt && startsAt < self.endsAt
    }
}

/// Why joining a waiting list is refused.
public enum WaitlistRefusal: Error, Sendable, Equatable {
    /// Nobody holds it: book it instead.
    case slotFree(room: String, when: String)
    /// The caller holds it themselves.
    case yours(room: String, when: String)
    case alreadyWaiting(room: String, when: String)
    case tooMany(max: Int)
    case unknownRoom(Int)
}

extension BookingNotices {
    /// The first in line, told the slot is free; `unbooked` says why it was not booked for them when they asked.
    public static func waitlistFree(_ entry: WaitlistEntry, room: Room?, unbooked: String?) -> SystemNotice {
        let name = roomName(room, id: entry.roomID)
        let why = unbooked.map { " It could not be booked for you: \($0)" } ?? ""
        return SystemNotice(
            title: "A room you waited for is free",
            message:
                "\(name), \(entry.spokenWhen) is free again and you are next in line: book it now; if it is still free in \(Waitlist.firstInLineMinutes) minutes, the next in line is told.\(why)",
            level: .success, audience: .user(entry.userID), link: nil, kind: .bookingUpdates)
    }
}
