import CampusKit
import Foundation

/// A booking as a calendar event, the same in the subscribed feed, the download and an e-mailed
/// invitation: one UID per booking, so a calendar that holds it updates it instead of adding another.
public enum BookingCalendar {
    /// `booking-<id>.<creation, Unix seconds>@campus-services-hub`: the creation time keeps a reinstalled or a
    /// staging installation's booking 1 from replacing another installation's booking 1 in someone's calendar.
    public static func uid(_ booking: Booking) -> String {
        "booking-\(booking.id).\(Int(booking.createdAt.timeIntervalSince1970.rounded(.down)))@campus-services-hub"
    }

    public static func event(_ booking: Booking, room: Room?) -> ICalendar.Event {
        event(
            booking, room: room, summary: "\(BookingNotices.roomName(room, id: booking.roomID)): \(booking.purpose)",
            description: "\(booking.purpose)\nBooked through Campus Services Hub (booking \(booking.id)).")
    }

    public static func event(_ booking: Booking, room: Room?, summary: String, description: String) -> ICalendar.Event {
        let roomName = BookingNotices.roomName(room, id: booking.roomID)
        var event = ICalendar.Event(
            uid: uid(booking), startsAt: booking.startsAt, endsAt: booking.endsAt, summary: summary,
            location: room.map { "\($0.name), \($0.building)" } ?? roomName, description: description,
            created: booking.createdAt, cancelledAt: booking.status == .cancelled ? booking.cancelledAt ?? booking.createdAt : nil,
            revision: booking.revision == 0 ? nil : booking.revision,
            modified: [booking.updatedAt, booking.approval?.decidedAt].compactMap { $0 }.max()
        )
        event.tentative = booking.status == .pending
        return event
    }

}
