import CampusKit
import Foundation

/// A maintenance ticket as stored.
public struct Ticket: Sendable, Equatable {
    public var id: Int
    public var title: String
    public var description: String
    public var location: String
    public var roomID: String?
    public var category: String
    public var priority: Priority
    public var status: TicketStatus
    public var slaDueAt: Date
    public var slaBreached: Bool
    public var triage: TriageResult
    public var createdBy: String
    public var assigneeID: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The reporter's and the assignee's names as they were when they reported or were assigned
    /// (nil on tickets stored before names were kept).
    public var createdByName: String? = nil
    public var assigneeName: String? = nil
    /// What the technician who resolved it wrote for the reporter; kept once closed, cleared when reopened.
    public var resolution: String? = nil
    /// When it was last resolved (the reporter's window to reopen runs from here); nil while in work.
    public var resolvedAt: Date? = nil
    /// Where the SLA clock starts: when it was reported, or when it was last reopened (nil: reported).
    public var slaStartedAt: Date? = nil
    /// Since when its clock stands still, waiting on the reporter; nil while it runs.
    public var slaPausedAt: Date? = nil
    /// How long (in the seconds its clock counts) it stood still in earlier pauses since its clock
    /// last started: the deadline moves that much later.
    public var slaPausedSeconds: Int = 0
    /// Its room's next bookings when it was reported (nil: no room, or booking could not be asked).
    public var roomBookings: [BookedUse]? = nil
    /// A technician marked its room out of order: the booking grid shows it so while the ticket is active.
    public var roomOutOfOrder: Bool = false
    /// How many photos its report and comments hold (``TicketPhoto``); counted by the photo writes alone.
    public var photoCount: Int = 0

    /// The deadline for its priority, counted on `clock` from when its clock last started, later by
    /// the time it stood still, including a pause still going on at `now`.
    public func slaDue(on clock: SLAClock, now: Date) -> Date {
        clock.due(from: slaStartedAt ?? createdAt, priority: priority, paused: slaPausedSeconds + pausedSoFar(on: clock, now: now))
    }

    /// The counted seconds of the pause going on at `now` (0 while the clock runs).
    func pausedSoFar(on clock: SLAClock, now: Date) -> Int {
        slaPausedAt.map { clock.counted(from: $0, to: now, priority: priority) } ?? 0
    }

    /// Until when its reporter may reopen it ("still broken"): ``TicketReopen/window`` after it was
    /// resolved; nil when it is not resolved or closed.
    public var reopenableUntil: Date? {
        guard status == .resolved || status == .closed, let resolvedAt else { return nil }
        return resolvedAt.addingTimeInterval(TicketReopen.window)
    }

    /// Back in work: the resolution no longer stands and the SLA clock starts again at `now`.
    mutating func reopen(now: Date, clock: SLAClock) {
        resolution = nil
        resolvedAt = nil
        slaStartedAt = now
        slaPausedAt = nil
        slaPausedSeconds = 0
        slaDueAt = slaDue(on: clock, now: now)
        slaBreached = false
    }

    /// Waiting on the reporter: the clock stands still from `now`.
    mutating func pauseClock(now: Date) {
        guard slaPausedAt == nil else { return }
        slaPausedAt = now
    }

    /// The clock runs again at `now`; the deadline moves later by the time it stood still (in the
    /// time it counts). Returns that time; a deadline already missed stays missed.
    @discardableResult
    mutating func resumeClock(now: Date, clock: SLAClock) -> Int {
        guard slaPausedAt != nil else { return 0 }
        let paused = pausedSoFar(on: clock, now: now)
        slaPausedSeconds += paused
        slaPausedAt = nil
        slaDueAt = slaDue(on: clock, now: now)
        slaBreached = slaBreached || slaDueAt <= now
        return paused
    }
}

/// Someone who acts on a ticket: their user id and their name as it was then (the name is for
/// people reading the ticket; the id is what rules compare).
public struct TicketActor: Sendable, Equatable {
    public let id: String
    public let name: String?

    public init(id: String, name: String?) {
        self.id = id
        self.name = name
    }

    /// What the service does itself (an SLA breach).
    public static let system = TicketActor(id: "system", name: nil)
}

/// One line of a ticket's history: who changed what, when, as a sentence a person reads.
public struct TicketHistoryEntry: Codable, Sendable, Equatable {
    public let at: Date
    /// The user who made the change (a user id, written as the integer it is), or `system` for
    /// what the service did itself (an SLA breach), written as null.
    public let by: String
    /// Their name when they made it; null for the service itself and for lines stored before names were kept.
    public let byName: String?
    public let change: String

    public init(at: Date, by: String, byName: String? = nil, change: String) {
        self.at = at
        self.by = by
        self.byName = byName
        self.change = change
    }

    enum CodingKeys: String, CodingKey { case at, by, byName, change }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(WireID(by), forKey: .by)
        try container.encode(byName, forKey: .byName)
        try container.encode(change, forKey: .change)
    }
}

/// A comment on a ticket.
public struct TicketComment: Codable, Sendable, Equatable {
    public let id: Int
    public let ticketId: Int
    public let authorId: String
    /// The author's name when they wrote it (null on comments stored before names were kept).
    public let authorName: String?
    public let body: String
    public let createdAt: Date

    public init(id: Int, ticketId: Int, authorId: String, authorName: String? = nil, body: String, createdAt: Date) {
        self.id = id
        self.ticketId = ticketId
        self.authorId = authorId
        self.authorName = authorName
        self.body = body
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case id, ticketId, authorId, authorName, body, createdAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ticketId, forKey: .ticketId)
        try container.encode(try WireID(stored: authorId), forKey: .authorId)
        try container.encode(authorName, forKey: .authorName)
        try container.encode(body, forKey: .body)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
