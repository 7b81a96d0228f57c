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
    /// A comment stored with it, by its actor, in the same transaction (none by default).
    var comment: String? { get }
}

extension TicketEdit {
    public var comment: String? { nil }
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
    /// Marks the ticket's room out of order (with its schedule, whose owners are told) or back in order.
    public var room: RoomMark?
    /// What the reporter is asked when the ticket starts waiting on them: a comment stored with the move.
    public var question: String?
    /// How a new deadline is counted (a reopening or a new priority), and the campus clock notices speak in.
    public var clock: SLAClock

    public init(
        status: TicketStatus? = nil, priority: Priority? = nil, assignee: TicketActor?? = nil, resolution: String? = nil,
        room: RoomMark? = nil, question: String? = nil, clock: SLAClock = .aroundTheClock
    ) {
        self.question = question
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.resolution = resolution
        self.room = room
        self.clock = clock
    }

    public var comment: String? { question }

    public func notices(for update: TicketUpdate, actor: String) throws -> [OutboxMessage] {
        var notices = try TicketNotices.updated(update, actor: actor, question: question)
        if case .outOfOrder(let schedule) = room, update.after.roomOutOfOrder, !update.before.roomOutOfOrder {
            notices += try TicketNotices.roomOutOfOrder(update.after, schedule: schedule, calendar: CampusCalendar(timeZone: clock.zone))
        }
        return notices
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
        if question != nil, !(status == .waitingOnReporter && changed.status != .waitingOnReporter) { throw .questionWithoutWaiting }
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
            if !status.isActive, changed.roomOutOfOrder {
                changed.roomOutOfOrder = false
                lines.append("Room back in order")
            }
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
        if changed.status == .waitingOnReporter, changed.priority == .p0 {
            // Asked to wait as a P0: refused. Raised to P0 while waiting: the work goes on at once.
            guard status == nil else { throw .lifeSafetyCannotWait }
            let paused = changed.resumeClock(now: now, clock: clock)
            changed.status = .inProgress
            lines.append("Status changed from \(TicketStatus.waitingOnReporter.label) to \(TicketStatus.inProgress.label): a P0 does not wait on its reporter")
            lines.append(TicketReply.resumedLine(paused, of: changed, clock: clock))
        }
        if let room, room.isOutOfOrder != changed.roomOutOfOrder {
            try RoomMark.check(changed)
            changed.roomOutOfOrder = room.isOutOfOrder
            if case .outOfOrder(let schedule) = room {
                let owners = Set(schedule.bookings.map(\.userId)).count
                lines.append(
                    "Room marked out of order: the booking grid shows it until this ticket is resolved; "
                        + (owners == 0
                            ? "no upcoming bookings"
                            : "the \(owners == 1 ? "owner" : "\(owners) owners") of its \(schedule.bookings.count) upcoming booking\(schedule.bookings.count == 1 ? "" : "s") \(owners == 1 ? "was" : "were") told")
                )
            } else {
                lines.append("Room back in order")
            }
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

/// A technician's word on a ticket's room: out of order (with its upcoming bookings, whose owners
/// are told where they could go instead), or back in order.
public enum RoomMark: Sendable, Equatable {
    case outOfOrder(RoomSchedule)
    case backInOrder

    var isOutOfOrder: Bool { if case .outOfOrder = self { true } else { false } }

    /// Whether `ticket`'s room can be marked: it names one and is in work.
    static func check(_ ticket: Ticket) throws(TicketRefusal) {
        guard ticket.roomID != nil else { throw .noRoom }
        guard ticket.status.isActive else { throw .roomMarkNotInWork(ticket.status) }
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
