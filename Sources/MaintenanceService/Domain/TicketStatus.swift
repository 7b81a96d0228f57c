/// The ticket workflow of docs/contract.md §9: open → in_progress → resolved → closed, open or
/// in_progress → cancelled, and resolved → in_progress to reopen.
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case resolved
    case closed
    case cancelled

    /// Where a ticket may go from here.
    public var allowedNext: [TicketStatus] {
        switch self {
        case .open: [.inProgress, .cancelled]
        case .inProgress: [.resolved, .cancelled]
        case .resolved: [.closed, .inProgress]
        case .closed, .cancelled: []
        }
    }

    public func canMove(to next: TicketStatus) -> Bool { allowedNext.contains(next) }

    /// How people read it ("In progress", not `in_progress`).
    public var label: String {
        switch self {
        case .open: "Open"
        case .inProgress: "In progress"
        case .resolved: "Resolved"
        case .closed: "Closed"
        case .cancelled: "Cancelled"
        }
    }

    /// Open work: counts for room health and can breach its SLA.
    public var isActive: Bool { self == .open || self == .inProgress }

    /// Every active status, for queries.
    public static var active: [TicketStatus] { allCases.filter(\.isActive) }
}
