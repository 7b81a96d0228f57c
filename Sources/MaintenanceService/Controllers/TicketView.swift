import CampusKit
import Foundation
import Hummingbird

/// The ticket object of docs/contract.md §9 (plus `history` in the detail view).
public struct TicketView: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let title: String
    public let description: String
    public let location: String
    public let roomId: String?
    public let category: String
    public let priority: Priority
    public let status: TicketStatus
    public let slaDueAt: Date
    public let slaBreached: Bool
    /// Since when its SLA clock stands still, waiting on the reporter; null while it runs.
    public let slaPausedAt: Date?
    public let impact: TicketImpact
    /// A technician marked its room out of order (until it is resolved).
    public let roomOutOfOrder: Bool
    public let triage: TriageResult
    public let createdBy: String
    public let createdByName: String?
    public let assigneeId: String?
    public let assigneeName: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let resolution: String?
    public let resolvedAt: Date?
    /// Until when its reporter may reopen it; null unless it is resolved or closed.
    public let reopenableUntil: Date?
    /// Photos of its report and comments (`GET /tickets/{id}/photos`).
    public let photoCount: Int
    public let history: [TicketHistoryEntry]?

    public init(_ ticket: Ticket, history: [TicketHistoryEntry]? = nil) {
        id = ticket.id
        title = ticket.title
        description = ticket.description
        location = ticket.location
        roomId = ticket.roomID
        category = ticket.category
        priority = ticket.priority
        status = ticket.status
        slaDueAt = ticket.slaDueAt
        slaBreached = ticket.slaBreached
        slaPausedAt = ticket.slaPausedAt
        impact = TicketImpact(ticket.triage.impact, bookings: ticket.roomBookings)
        roomOutOfOrder = ticket.roomOutOfOrder
        triage = ticket.triage
        createdBy = ticket.createdBy
        createdByName = ticket.createdByName
        assigneeId = ticket.assigneeID
        assigneeName = ticket.assigneeName
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
        resolution = ticket.resolution
        resolvedAt = ticket.resolvedAt
        reopenableUntil = ticket.reopenableUntil
        photoCount = ticket.photoCount
        self.history = history
    }

    /// `room_id` and `assignee_id` are written as null when empty, so every ticket has every key;
    /// user and room ids are written as the integers they are (docs/contract.md §11).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(location, forKey: .location)
        try container.encode(try roomId.map(WireID.init(stored:)), forKey: .roomId)
        try container.encode(category, forKey: .category)
        try container.encode(priority, forKey: .priority)
        try container.encode(status, forKey: .status)
        try container.encode(slaDueAt, forKey: .slaDueAt)
        try container.encode(slaBreached, forKey: .slaBreached)
        try container.encode(slaPausedAt, forKey: .slaPausedAt)
        try container.encode(impact, forKey: .impact)
        try container.encode(roomOutOfOrder, forKey: .roomOutOfOrder)
        try container.encode(triage, forKey: .triage)
        try container.encode(try WireID(stored: createdBy), forKey: .createdBy)
        try container.encode(createdByName, forKey: .createdByName)
        try container.encode(try assigneeId.map(WireID.init(stored:)), forKey: .assigneeId)
        try container.encode(assigneeName, forKey: .assigneeName)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(resolvedAt, forKey: .resolvedAt)
        try container.encode(reopenableUntil, forKey: .reopenableUntil)
        try container.encode(photoCount, forKey: .photoCount)
        try container.encodeIfPresent(history, forKey: .history)
    }
}
/// A ticket's impact: triage's estimate and, for a ticket on a bookable room, that room's next
/// bookings when it was reported (`bookings`; null without a room or when booking could not be asked).
public struct TicketImpact: Codable, Sendable, Equatable {
    public let systems: [String]
    public let safetyRisk: Bool
    public let scope: Impact.Scope
    public let peopleAffectedEstimate: Int
    public let bookings: [BookedUse]?

    public init(_ impact: Impact, bookings: [BookedUse]?) {
        systems = impact.systems
        safetyRisk = impact.safetyRisk
        scope = impact.scope
        peopleAffectedEstimate = impact.peopleAffectedEstimate
        self.bookings = bookings
    }

    enum CodingKeys: String, CodingKey { case systems, safetyRisk, scope, peopleAffectedEstimate, bookings }

    /// `bookings` is written as null when there are none to tell, so every impact has every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(systems, forKey: .systems)
        try container.encode(safetyRisk, forKey: .safetyRisk)
        try container.encode(scope, forKey: .scope)
        try container.encode(peopleAffectedEstimate, forKey: .peopleAffectedEstimate)
        try container.encode(bookings, forKey: .bookings)
    }
}

/// Comments are answered as they are stored.
extension TicketComment: ResponseEncodable {}
