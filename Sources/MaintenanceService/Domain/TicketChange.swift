import CampusKit
import Foundation

/// Something done to a stored ticket, decided on the ticket as it is inside the transaction that
/// stores it: a technician's change, or its reporter reopening it.
public protocol TicketEdit: Sendable {
    /// Applies the edit to `ticket` at `now` and returns its history lines (none when nothing
    /// differs); refused, it changes nothing.
    func apply(to ticket: inout Ticket, now: Date) throws(TicketRefusal) -> [String]
    /// Who is told of it, once stored (`actor` made it).
    func notices(for update: TicketUpdate, actor: String) throws -> [OutboxMessage]
}

/// A technician's change to a ticket: a new status (with a resolution when resolving), priority or
/// assignee, any of them. A value:
/// the repository applies it to the stored ticket inside its transaction, so the workflow check
/// and the SLA are decided on the ticket as it is at that moment, not as the request last read it.
public struct TicketChange: TicketEdit, Equatable {
    public var status: TicketStatus?
    public var priority: Priority?
    /// `nil`: leave as it is; `.some(nil)`: unassign; `.some(technician)`: assign to them.
    public var assignee: TicketActor??
    /// What was done, for the reporter: required when resolving, refused otherwise.
    public var resolution: String?
    /// How a new deadline is counted (a reopening or a new priority).
    public var clock: SLAClock

    public init(
        status: TicketStatus? = nil, priority: Priority? = nil, assignee: TicketActor?? = nil, resolution: String? = nil,
        clock: SLAClock = .aroundTheClock
    ) {
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.resolution = resolution
        self.clock = clock
    }

    public func notices(for update: TicketUpdate, actor: String) throws -> [OutboxMessage] {
        try TicketNotices.updated(update, actor: actor)
    }

    /// Applies the change to `ticket` at `now` and returns its history lines, sentences a person
    /// reads (none when nothing differs). A status move the workflow does not allow is refused and changes nothing.
    public func apply(to ticket: inout Ticket, now: Date) throws(TicketRefusal) -> [String] {
        var changed = ticket
        var lines: [String] = []
        if let status { try TicketRules.transition(from: changed.status, to: status) }
        let resolving = status == .resolved && changed.status != .resolved
        if resolving, resolution == nil { throw .resolutionRequired }
        if !resolving, resolution != nil { throw .resolutionWithoutResolving }
        if let status, status != changed.status {
            lines.append("Status changed from \(changed.status.label) to \(status.label)")
            if changed.status == .resolved, status == .inProgress {
                changed.reopen(now: now, clock: clock)
                lines.append("Reopened: the SLA clock starts again, due within \(clock.text(for: changed.priority))")
            }
            if status == .waitingOnReporter {
                changed.pauseClock(now: now)
                lines.append("The SLA clock stands still until the reporter answers")
            } else if changed.status == .waitingOnReporter {
                let paused = changed.resumeClock(now: now, clock: clock)
                if status.clockRuns { lines.append(TicketReply.resumedLine(paused, of: changed, clock: clock)) }
            }
            changed.status = status
        }
        if resolving, let resolution {
            changed.resolution = resolution
            changed.resolvedAt = now
            lines.append("Resolution: \(resolution)")
        }
        if let priority, priority != changed.priority {
            let direction = priority < changed.priority ? "lowered" : "raised"
            let since = changed.slaStartedAt == nil ? "being reported" : "being reopened"
            lines.append("Priority \(direction) from \(changed.priority.label) to \(priority.label); now due within \(clock.text(for: priority)) of \(since)")
            changed.priority = priority
            changed.slaDueAt = changed.slaDue(on: clock, now: now)
            // A new deadline still ahead can be breached again; one already past stays breached.
            changed.slaBreached = changed.slaDueAt <= now
        }
        if changed.status == .waitingOnReporter, changed.priority == .p0 { throw .lifeSafetyCannotWait }
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

/// A comment on a ticket. When its reporter answers a ticket that waits on them, the ticket goes
/// back in progress and its SLA clock runs again; any other comment changes nothing on the ticket.
public struct TicketReply: TicketEdit, Equatable {
    public let by: TicketActor
    public let body: String
    /// How the moved deadline is counted.
    public let clock: SLAClock

    public init(by: TicketActor, body: String, clock: SLAClock = .aroundTheClock) {
        self.by = by
        self.body = body
        self.clock = clock
    }

    public func apply(to ticket: inout Ticket, now: Date) throws(TicketRefusal) -> [String] {
        guard ticket.status == .waitingOnReporter, by.id == ticket.createdBy else { return [] }
        var changed = ticket
        let paused = changed.resumeClock(now: now, clock: clock)
        changed.status = .inProgress
        changed.updatedAt = now
        ticket = changed
        return ["The reporter answered (Waiting on reporter → In progress)", Self.resumedLine(paused, of: changed, clock: clock)]
    }

    public func notices(for update: TicketUpdate, actor: String) throws -> [OutboxMessage] {
        try TicketNotices.answered(update.after, body: body)
    }

    /// The history line of a clock that runs again after standing still for `paused` seconds.
    static func resumedLine(_ paused: Int, of ticket: Ticket, clock: SLAClock) -> String {
        "The SLA clock runs again; it stood still for \(clock.durationText(paused, priority: ticket.priority)), so the deadline moves as much later"
    }
}
