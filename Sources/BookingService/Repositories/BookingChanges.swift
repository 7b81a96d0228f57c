import CampusKit
import Foundation
import Synchronization

/// When this process last changed the bookings of each campus day, as a number that only grows:
/// a booking or cancellation bumps its days, a room change bumps every day. The availability
/// cache keeps a day's answer while that number stays the same.
///
/// Other replicas' writes are not seen here (PostgreSQL): ``maxAge`` bounds how long an answer
/// may be reused there. On SQLite this process is the only writer, and answers live until a write.
public final class BookingChanges: Sendable {
    private struct Counters {
        var last: UInt64 = 0
        var rooms: UInt64 = 0
        var days: [CalendarDate: UInt64] = [:]
    }

    private let counters = Mutex(Counters())
    /// nil: only this process writes; otherwise the longest an answer may be reused.
    public let maxAge: Duration?

    public init(maxAge: Duration? = nil) {
        self.maxAge = maxAge
    }

    /// The number an answer about `day` read now is valid for.
    public func version(of day: CalendarDate) -> UInt64 {
        counters.withLock { max($0.rooms, $0.days[day] ?? 0) }
    }

    /// Bookings of these days were made or cancelled.
    public func touched(_ days: some Sequence<CalendarDate>) {
        counters.withLock { counters in
            counters.last += 1
            for day in days { counters.days[day] = counters.last }
        }
    }

    /// A room was added, changed or removed: every day's answer is stale.
    public func touchedRooms() {
        counters.withLock { counters in
            counters.last += 1
            counters.rooms = counters.last
            counters.days = [:]
        }
    }
}
