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

    /// What a booking's room is called when the room has since been deleted.
    public static func roomName(_ room: Room?, id: Int) -> String { room?.name ?? "Room \(id)" }
}
