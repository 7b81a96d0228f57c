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

    /// The SLA deadline follows the priority from the moment the ticket was opened.
    public static func slaDue(createdAt: Date, priority: Priority) -> Date {
        createdAt.addingTimeInterval(TimeInterval(priority.slaHours) * 3600)
    }
}

/// One line of a ticket's history: who changed what, when.
public struct TicketHistoryEntry: Codable, Sendable, Equatable {
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
public struct TicketComment: Codable, Sendable, Equatable {
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
