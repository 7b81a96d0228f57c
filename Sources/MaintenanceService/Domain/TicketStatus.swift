/// The ticket workflow of docs/contract.md §9: open → in_progress → resolved → closed, open or
/// in_progress → cancelled, resolved → in_progress to reopen, and in_progress ⇄
/// waiting_on_reporter while the technician needs an answer from the reporter (the SLA clock
/// stands still meanwhile; a waiting ticket may also be resolved or cancelled).
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case waitingOnReporter = "waiting_on_reporter"
    case resolved
    case closed
    case cancelled

    /// Where a ticket may go from here.
    public var allowedNext: [TicketStatus] {
        switch self {
        case .open: [.inProgress, .cancelled]
        case .inProgress: [.waitingOnReporter, .resolved, .cancelled]
        case .waitingOnReporter: [.inProgress, .resolved, .cancelled]
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
        case .waitingOnReporter: "Waiting on reporter"
        case .resolved: "Resolved"
        case .closed: "Closed"
        case .cancelled: "Cancelled"
        }
    }

    /// Open work: counts for room health (a ticket waiting on its reporter is not fixed yet).
    public var isActive: Bool { self == .open || self == .inProgress || self == .waitingOnReporter }

    /// Its SLA clock runs, so it can breach: open work that is not waiting on the reporter.
    public var clockRuns: Bool { self == .open || self == .inProgress }

    /// Every active status, for queries.
    public static var active: [TicketStatus] { allCases.filter(\.isActive) }

    /// Every status whose clock runs, for the breach task.
    public static var clockRunning: [TicketStatus] { allCases.filter(\.clockRuns) }
}
