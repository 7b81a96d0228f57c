import Foundation

/// What maintenance needs to know of a room with a fault (issue 19, point 10): its next confirmed
/// bookings and, for each, the nearest room of the same kind that is free for the whole of it.
public struct RoomOutlook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let booking: Booking
        /// Where its owner could go instead; nil when no room of the same kind is free then.
        public let alternative: Room?
    }

    public let room: Room
    public let bookings: [Entry]

    /// `bookings` of `room`, earliest first, each with ``nearestAlternative(to:for:among:busy:)``
    /// among `rooms`, whose busy times (bookings and closures) are `busy`.
    public init(room: Room, bookings: [Booking], rooms: [Room], busy: [Int: [DateInterval]]) {
        self.room = room
        self.bookings = bookings.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }.map {
            Entry(booking: $0, alternative: Self.nearestAlternative(to: room, for: $0, among: rooms, busy: busy))
        }
    }

    /// A room of the same kind as `room` — the same audience (faculty only or not) and every one of
    /// its features — free for the whole of `booking`. Nearest: in the same building first, then one
    /// with at least as many seats, then the closest number of seats, then the lowest id.
    public static func nearestAlternative(to room: Room, for booking: Booking, among rooms: [Room], busy: [Int: [DateInterval]]) -> Room? {
        let needed = Set(room.features)
        let span = DateInterval(start: booking.startsAt, end: max(booking.startsAt, booking.endsAt))
        return
            rooms
            .filter { candidate in
                candidate.id != room.id && candidate.facultyOnly == room.facultyOnly && needed.isSubset(of: candidate.features)
                    && !(busy[candidate.id] ?? []).contains { $0.start < span.end && $0.end > span.start }
            }
            .min { a, b in
                func rank(_ r: Room) -> (Int, Int, Int, Int) {
                    (r.building == room.building ? 0 : 1, r.capacity >= room.capacity ? 0 : 1, abs(r.capacity - room.capacity), r.id)
                }
                return rank(a) < rank(b)
            }
    }
}
