import CampusKit
import Foundation

/// Which tickets a list shows.
public struct TicketFilter: Sendable, Equatable {
    public var createdBy: String?
    public var status: TicketStatus?
    public var priority: Priority?
    public var assigneeID: String?
    public var roomID: String?
    /// Words every match holds somewhere in its title, description, location or resolution, case-insensitively.
    public var search: TextSearch?
    public var category: String?
    /// Words every match holds in its location.
    public var location: TextSearch?
    /// Reported at or after `lowerBound` and before `upperBound`.
    public var created: Range<Date>?
    /// Technicians' queue order (priority, then deadline) instead of newest first.
    public var queueOrder = false
    public init() {}
}

/// Per room: how many tickets are open and the most urgent of them.
public struct RoomHealth: Codable, Sendable, Equatable {
    public let roomId: String
    public let openTickets: Int
    public let highestPriority: Priority
    /// One of its active tickets marked the room out of order: the booking grid shows it so.
    public var outOfOrder: Bool = false

    enum CodingKeys: String, CodingKey { case roomId, openTickets, highestPriority, outOfOrder }

    /// `room_id` is written as the booking catalogue's integer id.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(try WireID(stored: roomId), forKey: .roomId)
        try container.encode(openTickets, forKey: .openTickets)
        try container.encode(highestPriority, forKey: .highestPriority)
        try container.encode(outOfOrder, forKey: .outOfOrder)
    }
}

/// What a change to a ticket produced: the ticket before and after, and the history lines.
public struct TicketUpdate: Sendable {
    public let before: Ticket
    public let after: Ticket
    public let changes: [String]
}

/// Why a ticket write was refused.
public enum TicketStoreError: Error, Equatable {
    case notFound(id: Int)
}

/// Storage of tickets, their history and comments. Writes take values and store, in the same
/// transaction, the history lines and the notices (`TicketNotices`) they cause.
public protocol TicketRepository: Sendable {
    func create(_ ticket: Ticket) async throws -> Ticket
    func find(id: Int) async throws -> Ticket?
    func list(_ filter: TicketFilter, page: Pagination) async throws -> (items: [Ticket], total: Int)
    /// Applies `change` to the stored ticket in one transaction, with its history lines; `actor`
    /// made it. `TicketStoreError.notFound`, or the change's `TicketRefusal`.
    func update(id: Int, change: some TicketEdit, actor: TicketActor) async throws -> TicketUpdate
    func history(ticketID: Int) async throws -> [TicketHistoryEntry]
    /// Stores `reply` as a comment and, in the same transaction, what it does to the ticket (its
    /// reporter answering a ticket that waits on them); `TicketStoreError.notFound`.
    func addComment(ticketID: Int, reply: TicketReply) async throws -> (comment: TicketComment, update: TicketUpdate)
    /// A page of a ticket's comments, oldest first, and how many it has.
    func comments(ticketID: Int, page: Pagination) async throws -> (items: [TicketComment], total: Int)
    /// Marks active tickets past their deadline as breached, each once; returns them.
    func markBreached(now: Date) async throws -> [Ticket]
    func roomHealth() async throws -> [RoomHealth]
    /// The rooms marked out of order by unfinished tickets, each with the earliest such ticket.
    func outOfOrderRooms() async throws -> [RoomFault]
}

/// A room a technician marked out of order, and the ticket on which they did.
public struct RoomFault: Sendable, Equatable, Encodable {
    public let roomId: Int
    public let ticketId: Int
}
