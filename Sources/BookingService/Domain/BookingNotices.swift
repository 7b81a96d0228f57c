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
    /// (same UIDs, a higher `SEQUENCE`) so a calendar that holds them moves them.
    public static func changed(_ move: BookingMove, from oldRoom: Room?, to room: Room) -> SystemNotice? {
        guard let first = move.steps.first, let last = move.steps.last else { return nil }
        let was = first.before
        let now = first.after
        let oldName = roomName(oldRoom, id: was.roomID)
        let message =
            move.steps.count == 1
            ? "Your booking of \(oldName), \(was.spokenWhen) is now \(room.name), \(now.spokenWhen): \(now.purpose)"
            : "Your \(move.steps.count) weekly bookings of \(oldName), \(was.startTime)–\(was.endTime) from \(was.date.spoken) "
                + "are now \(room.name), \(now.startTime)–\(now.endTime) every week from \(now.date.spoken) to \(last.after.date.spoken): \(now.purpose)"
        return SystemNotice(
            title: "Booking changed", message: message, level: .info, audience: .user(now.userID), link: NoticeLink(.booking, id: now.id),
            kind: .bookingUpdates, invitation: CalendarInvitation(method: .request, events: move.steps.map { BookingCalendar.event($0.after, room: room) }))
    }

    /// What a booking's room is called when the room has since been deleted.
    public static func roomName(_ room: Room?, id: Int) -> String { room?.name ?? "Room \(id)" }
}
