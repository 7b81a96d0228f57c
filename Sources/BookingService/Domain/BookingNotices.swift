import CampusKit

/// The notices the booker receives (docs/contract.md §8): one per booking, or one per series.
public enum BookingNotices {
    public static func confirmed(_ bookings: [Booking], room: Room) -> SystemNotice? {
        guard let first = bookings.first, let last = bookings.last else { return nil }
        let message =
            bookings.count == 1
            ? "\(room.name), \(first.spokenWhen) is booked for you: \(first.purpose)"
            : "\(room.name), \(first.startTime)–\(first.endTime) every week from \(first.date.spoken) to \(last.date.spoken) "
                + "(\(bookings.count) bookings) is booked for you: \(first.purpose)"
        return SystemNotice(
            title: "Booking confirmed", message: message, level: .success, audience: .user(first.userID), link: NoticeLink(.booking, id: first.id),
            kind: .bookingUpdates, invitation: CalendarInvitation(method: .request, events: bookings.map { BookingCalendar.event($0, room: room) }))
    }

    public static func cancelled(_ bookings: [Booking], room: Room?) -> SystemNotice? {
        guard let first = bookings.first, let last = bookings.last else { return nil }
        let roomName = roomName(room, id: first.roomID)
        if bookings.count == 1, let reason = first.cancelReason {
            return SystemNotice(
                title: "Booking cancelled by an administrator",
                message: "Your booking of \(roomName), \(first.spokenWhen) was cancelled by an administrator: \(reason)",
                level: .warning, audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates,
                invitation: CalendarInvitation(method: .cancel, events: [BookingCalendar.event(first, room: room)]))
        }
        let message =
            bookings.count == 1
            ? "Your booking of \(roomName), \(first.spokenWhen) is cancelled."
            : "Your \(bookings.count) weekly bookings of \(roomName), \(first.startTime)–\(first.endTime) from \(first.date.spoken) to \(last.date.spoken) "
                + "are cancelled."
        return SystemNotice(
            title: "Booking cancelled", message: message, level: .info, audience: .user(first.userID), link: NoticeLink(.booking, id: first.id),
            kind: .bookingUpdates, invitation: CalendarInvitation(method: .cancel, events: bookings.map { BookingCalendar.event($0, room: room) }))
    }

    /// The booker's notice of a change: what it was and what it is now, with the changed events
    /// (same UIDs, a higher `SEQUENCE`) so a calendar that holds them moves them. `rooms` by id.
    public static func changed(_ move: BookingMove, rooms: [Int: Room]) -> SystemNotice? {
        guard let first = move.steps.first else { return nil }
        let (was, now) = (first.before, first.after)
        let oldName = roomName(rooms[was.roomID], id: was.roomID)
        let newName = roomName(rooms[now.roomID], id: now.roomID)
        let onlyPurpose = move.steps.allSatisfy {
            $0.before.roomID == $0.after.roomID && $0.before.startsAt == $0.after.startsAt && $0.before.endsAt == $0.after.endsAt
        }
        let message: String
        switch (move.steps.count, onlyPurpose) {
        case (1, true):
            message = "The purpose of your booking of \(oldName), \(was.spokenWhen) is now: \(now.purpose) (it was: \(was.purpose))"
        case (1, false):
            message = "Your booking of \(oldName), \(was.spokenWhen) is now \(newName), \(now.spokenWhen): \(now.purpose)"
        case (let count, true):
            message = "The purpose of \(count) bookings of your weekly series, from \(was.date.spoken), is now: \(now.purpose)"
        case (let count, false):
            message =
                "\(count) bookings of your weekly series are changed, from \(was.date.spoken) on: the first, \(oldName), \(was.spokenWhen), is now \(newName), \(now.spokenWhen): \(now.purpose)"
        }
        return SystemNotice(
            title: "Booking changed", message: message, level: .info, audience: .user(now.userID), link: NoticeLink(.booking, id: now.id),
            kind: .bookingUpdates,
            invitation: CalendarInvitation(method: .request, events: move.steps.map { BookingCalendar.event($0.after, room: rooms[$0.after.roomID]) }))
    }

    /// What a booking's room is called when the room has since been deleted.
    public static func roomName(_ room: Room?, id: Int) -> String { room?.name ?? "Room \(id)" }
}
