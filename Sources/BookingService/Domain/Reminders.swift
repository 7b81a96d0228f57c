import CampusKit
import Foundation

/// How long before a booking starts its owner wants to be reminded, or not at all.
public enum ReminderChoice {
    /// What people choose from, in minutes: a quarter of an hour to a day.
    public static let choices = [15, 30, 60, 120, 1440]
    /// Without a choice of their own: an hour before.
    public static let defaultMinutes = 60

    /// `minutes` if it is one of the choices (nil: no reminders).
    public static func check(_ minutes: Int?) throws(FieldRefusal) -> Int? {
        guard let minutes else { return nil }
        guard choices.contains(minutes) else {
            throw FieldRefusal(
                "minutes_before", .notA(value: String(minutes), kind: "one of \(ListFormat.or(choices.map(String.init))) or null (no reminders)"))
        }
        return minutes
    }

    /// "15 minutes", "1 hour", "2 hours", "1 day".
    public static func spoken(_ minutes: Int) -> String {
        switch minutes {
        case 1440: "1 day"
        case let m where m % 60 == 0: m == 60 ? "1 hour" : "\(m / 60) hours"
        default: "\(minutes) minutes"
        }
    }
}

/// Which bookings are owed a reminder at `now`: confirmed, not begun, not reminded yet, within
/// their owner's lead time, and made or last moved before that lead time began (a booking made
/// ten minutes before it starts needs no reminder of itself).
public enum ReminderRule {
    public static func due(_ booking: Booking, minutesBefore: Int?, now: Date) -> Bool {
        guard let minutesBefore, booking.status == .confirmed, booking.startsAt > now else { return false }
        let remindAt = booking.startsAt.addingTimeInterval(-Double(minutesBefore) * 60)
        return remindAt <= now && (booking.updatedAt ?? booking.createdAt) < remindAt
    }
}

extension BookingNotices {
    public static func reminder(_ booking: Booking, room: Room?, minutesBefore: Int) -> SystemNotice {
        SystemNotice(
            title: "Booking starts soon",
            message:
                "Reminder: \(roomName(room, id: booking.roomID)), \(booking.spokenWhen) (in about \(ReminderChoice.spoken(minutesBefore))): \(booking.purpose)",
            level: .info, audience: .user(booking.userID), link: NoticeLink(.booking, id: booking.id), kind: .bookingUpdates)
    }
}
