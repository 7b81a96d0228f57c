import CampusKit
import Foundation
import Hummingbird

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

    /// The SLA deadline follows the priority from the moment the ticket was opened.
    public static func slaDue(createdAt: Date, priority: Priority) -> Date {
        createdAt.addingTimeInterval(TimeInterval(priority.slaHours) * 3600)
    }
}

/// One line of a ticket's history: who changed what, when.
public struct TicketChange: Codable, Sendable, Equatable {
    public let at: Date
    /// The user who made the change (a user id, written as the integer it is), or `system` for
    /// what the service did itself (an SLA breach), written as null.
    public let by: String
    public let change: String

    enum CodingKeys: String, CodingKey { case at, by, change }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(WireID(by), forKey: .by)
        try container.encode(change, forKey: .change)
    }
}

/// A comment on a ticket.
public struct TicketComment: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let ticketId: Int
    public let authorId: String
    public let body: String
    public let createdAt: Date

    enum CodingKeys: String, CodingKey { case id, ticketId, authorId, body, createdAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ticketId, forKey: .ticketId)
        try container.encode(try WireID(stored: authorId), forKey: .authorId)
        try container.encode(body, forKey: .body)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// The ticket object of CONTRACT §9 (plus `history` in the detail view).
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
    public let impact: Impact
    public let triage: TriageResult
    public let createdBy: String
    public let assigneeId: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let history: [TicketChange]?

    public init(_ ticket: Ticket, history: [TicketChange]? = nil) {
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
        impact = ticket.triage.impact
        triage = ticket.triage
        createdBy = ticket.createdBy
        assigneeId = ticket.assigneeID
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
        self.history = history
    }

    /// `room_id` and `assignee_id` are written as null when empty, so every ticket has every key;
    /// user and room ids are written as the integers they are (CONTRACT §11).
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
        try container.encode(impact, forKey: .impact)
        try container.encode(triage, forKey: .triage)
        try container.encode(try WireID(stored: createdBy), forKey: .createdBy)
        try container.encode(try assigneeId.map(WireID.init(stored:)), forKey: .assigneeId)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(history, forKey: .history)
    }
}
