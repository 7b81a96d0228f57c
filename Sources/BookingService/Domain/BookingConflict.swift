import CampusKit

/// The 409 a person understands: which room, which existing booking, and for a series that
/// nothing was booked.
public enum BookingConflict {
    /// - Parameters:
    ///   - existing: the confirmed booking in the way, when it could be read back.
    ///   - date: the day that could not be booked.
    ///   - weeks: the number of bookings of the refused request (1 for a single booking).
    public static func error(room: Room, existing: Booking?, date: CalendarDate, weeks: Int) -> APIError {
        var detail = existing.map { "\(room.name) is already booked \($0.when)" }
            ?? "\(room.name) was just booked by someone else for that time on \(date)"
        detail += weeks > 1 ? ", so none of the \(weeks) weekly bookings were made." : "."
        return APIError.conflict(detail, code: "booking_conflict")
    }
}
