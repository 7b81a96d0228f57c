import Foundation

/// A technician's change to a ticket: a new status, priority or assignee, any of them. A value:
/// the repository applies it to the stored ticket inside its transaction, so the workflow check
/// and the SLA are decided on the ticket as it is at that moment, not as the request last read it.
public struct TicketChange: Sendable, Equatable {
    public var status: TicketStatus?
    public var priority: Priority?
    /// `nil`: leave as it is; `.some(nil)`: unassign; `.some(technician)`: assign to them.
    public var assignee: TicketActor??

    public init(status: TicketStatus? = nil, priority: Priority? = nil, assignee: TicketActor?? = nil) {
        self.status = status
        self.priority = priority
        self.assignee = assignee
    }

    /// Applies the change to `ticket` at `now` and returns its history lines, sentences a person
    /// reads (none when nothing differs). A status move the workflow does not allow is refused and changes nothing.
    public func apply(to ticket: inout Ticket, now: Date) throws(TicketRefusal) -> [String] {
        var changed = ticket
        var lines: [String] = []
        if let status, status != changed.status {
            try TicketRules.transition(from: changed.status, to: status)
            lines.append("Status changed from \(changed.status.label) to \(status.label)")
            changed.status = status
        }
        if let priority, priority != changed.priority {
            let direction = priority < changed.priority ? "lowered" : "raised"
            lines.append("Priority \(direction) from \(changed.priority.label) to \(priority.label); now due within \(priority.slaText) of being reported")
            changed.priority = priority
            changed.slaDueAt = Ticket.slaDue(createdAt: changed.createdAt, priority: priority)
            // A new deadline still ahead can be breached again; one already past stays breached.
            changed.slaBreached = changed.slaDueAt <= now
        }
        if case .some(let assignee) = assignee, assignee?.id != changed.assigneeID {
            lines.append(assignee.map { "Assigned to \($0.name ?? "technician \($0.id)")" } ?? "Unassigned")
            changed.assigneeID = assignee?.id
            changed.assigneeName = assignee?.name
        }
        if !lines.isEmpty {
            changed.updatedAt = now
            ticket = changed
        }
        return lines
    }
}
