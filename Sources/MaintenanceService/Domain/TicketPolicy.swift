import CampusKit

/// docs/contract.md §3's maintenance rows.
public enum TicketCapability: String, Hashable, Sendable, CustomStringConvertible {
    case openTickets = "report maintenance tickets, follow them and comment (facilities work is for technicians; administrators manage accounts and rooms)"
    case workQueue = "see all tickets, assign them and change their status"
    case roomHealth = "see which rooms have open tickets"
    public var description: String { rawValue }
}

public enum TicketPolicy {
    public static let table = AccessPolicy<TicketCapability>([
        .openTickets: [.faculty, .student, .technician],
        .workQueue: [.technician],
        .roomHealth: [.admin, .faculty, .student, .technician],
    ])

    /// Owner, assignee and technicians see a ticket; to anyone else it does not exist (404).
    public static func canSee(_ ticket: Ticket, _ identity: Identity) -> Bool {
        table.allows(identity.role, .workQueue) || ticket.createdBy == identity.userID || ticket.assigneeID == identity.userID
    }
}
