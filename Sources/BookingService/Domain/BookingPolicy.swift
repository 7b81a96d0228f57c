import CampusKit

/// What each role may do in the booking service: docs/contract.md §3's table, the rows about rooms.
public enum BookingCapability: String, Hashable, Sendable, CustomStringConvertible {
    case browseRooms = "browse rooms and availability"
    case manageRooms = "manage the room catalogue"
    case bookRooms = "book rooms, see or cancel their bookings"
    case manageBookings = "see and cancel anyone's booking"
    case followRoomCalendars = "subscribe to a room's calendar"
    case decideRequests = "decide booking requests for rooms that require approval"

    public var description: String { rawValue }
}

public enum BookingPolicy {
    public static let table = AccessPolicy<BookingCapability>([
        .browseRooms: [.admin, .faculty, .student, .technician],
        .manageRooms: [.admin],
        .bookRooms: [.faculty, .student],
        .manageBookings: [.admin],
        .followRoomCalendars: [.admin, .faculty],
        .decideRequests: [.admin, .faculty],
    ])
}
