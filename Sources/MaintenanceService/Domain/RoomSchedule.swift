import CampusKit
import Foundation

/// A bookable room's next bookings as booking's outlook answers them (issue 19, point 10): what a
/// fault in it would disturb, and where each booking's owner could go instead.
public struct RoomSchedule: Sendable, Equatable, Decodable {
    public struct Room: Sendable, Equatable, Decodable {
        public let id: Int
        public let name: String
        public let building: String
        public let capacity: Int

        public init(id: Int, name: String, building: String, capacity: Int) {
            self.id = id
            self.name = name
            self.building = building
            self.capacity = capacity
        }
    }

    public struct Booking: Sendable, Equatable, Decodable {
        public let id: Int
        public let userId: WireID
        public let startsAt: Date
        public let endsAt: Date
        public let purpose: String
        /// The nearest room of the same kind free for the whole booking; nil when there is none.
        public let alternative: Room?

        public init(id: Int, userId: WireID, startsAt: Date, endsAt: Date, purpose: String, alternative: Room?) {
            self.id = id
            self.userId = userId
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.purpose = purpose
            self.alternative = alternative
        }
    }

    public let room: Room
    /// Earliest first.
    public let bookings: [Booking]

    public init(room: Room, bookings: [Booking]) {
        self.room = room
        self.bookings = bookings
    }
}

/// One of the next bookings of a ticket's room, as its impact shows it: when, and how many seats
/// (the room's). Who booked it and why stay out: the reporter reads the ticket too, and a room's
/// calendar never says who booked it or what for.
public struct BookedUse: Codable, Sendable, Equatable {
    public let startsAt: Date
    public let endsAt: Date
    public let seats: Int

    public init(startsAt: Date, endsAt: Date, seats: Int) {
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.seats = seats
    }
}

/// A fault in a room booked before its deadline is more urgent than its words say: a P3 projector
/// fault in a hall booked for 200 people in an hour is not a P3.
public enum BookedRoomRule {
    /// How many of the room's next bookings a ticket's impact lists.
    public static let shown = 5
    /// A room with at least this many seats, booked within a P1's deadline, makes the fault P1.
    public static let largeRoom = 100

    /// `triage` of a fault reported at `now` in the room of `schedule`: P2 and P3 are raised one
    /// level when the room is in use or booked before their deadline on `clock`, and to P1 when
    /// that booking is of a room of ``largeRoom`` seats or more and begins before a P1's deadline;
    /// the reason is one of its signals and the seats count among the people affected. P0 and P1
    /// are urgent already; P4 (cosmetic, requests) is not raised by a booking.
    public static func apply(to triage: TriageResult, schedule: RoomSchedule, now: Date, clock: SLAClock) -> TriageResult {
        let current = triage.priority
        guard current == .p2 || current == .p3 else { return triage }
        let seats = schedule.room.capacity
        let due = clock.due(from: now, priority: current)
        guard let first = schedule.bookings.first(where: { $0.endsAt > now && $0.startsAt < due }) else { return triage }
        var raised = Priority(level: current.level - 1) ?? current
        if seats >= largeRoom, first.startsAt < clock.due(from: now, priority: .p1) { raised = .p1 }
        var impact = triage.impact
        impact.peopleAffectedEstimate = max(impact.peopleAffectedEstimate, seats)
        let when = first.startsAt <= now ? "in use now" : "booked before the \(current.rawValue) deadline"
        return TriageResult(
            priority: raised, category: triage.category, slaHours: raised.slaHours, impact: impact, confidence: triage.confidence,
            signals: triage.signals + ["rule: room \(when), \(seats) seats → raised \(current.rawValue) → \(raised.rawValue)"]
        )
    }

    /// What a ticket's impact shows of `schedule`: its next ``shown`` bookings.
    public static func uses(_ schedule: RoomSchedule, now: Date) -> [BookedUse] {
        schedule.bookings.filter { $0.endsAt > now }.prefix(shown).map {
            BookedUse(startsAt: $0.startsAt, endsAt: $0.endsAt, seats: schedule.room.capacity)
        }
    }
}
