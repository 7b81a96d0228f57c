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
    public let impact: Impact
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
        impact = ticket.triage.impact
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
        try container.encodeIfPresent(history, forKey: .history)
    }
}
/// Comments are answered as they are stored.
extension TicketComment: ResponseEncodable {}
