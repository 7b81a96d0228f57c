import CampusKit

/// The system notices of docs/contract.md §8 for ticket events, in one place.
public enum TicketNotices {
    /// Ticket created → technicians; a P0 also → admins, as critical.
    public static func created(_ ticket: Ticket) throws -> [OutboxMessage] {
        var notices = [
            SystemNotice(
                title: "New \(ticket.priority.rawValue) ticket: \(ticket.title)",
                message: "\(ticket.priority.label) \(TicketRules.categoryLabel(ticket.category)) problem at \(ticket.location), "
                    + "due within \(ticket.priority.slaText).",
                level: [.p0, .p1].contains(ticket.priority) ? .warning : .info, audience: .role(.technician), link: link(ticket)
            )
        ]
        if ticket.priority == .p0 {
            notices[0].level = .critical
            notices.append(
                SystemNotice(
                    title: "P0 emergency: \(ticket.title)", message: "At \(ticket.location). Facilities have been alerted.",
                    level: .critical, audience: .role(.admin), link: link(ticket)
                ))
        }
        return try notices.map { try $0.outboxMessage() }
    }

    /// Status change → the owner (unless they made it themselves); a new assignee → that technician (unless they took it themselves).
    public static func updated(_ update: TicketUpdate, actor: String, question: String? = nil) throws -> [OutboxMessage] {
        var notices: [SystemNotice] = []
        if update.before.status != update.after.status, update.after.createdBy != actor {
            let ticket = update.after
            let title: String
            let message: String
            switch ticket.status {
            case .resolved:
                title = "Your ticket is now resolved"
                message =
                    "“\(ticket.title)” is resolved: \(String((ticket.resolution ?? "").prefix(300))) "
                    + "Still broken? You can reopen it from its page within \(Int(TicketReopen.window / 86_400)) days."
            case .waitingOnReporter:
                title = "Facilities need your answer"
                message =
                    question.map {
                        "“\(ticket.title)” waits on you. Facilities ask: “\(String($0.prefix(300)))” Answer in the ticket's comments; the work goes on once you do."
                    }
                    ?? "“\(ticket.title)” waits on you: read the latest comment on its page and answer there; the work goes on once you do."
            case .inProgress where update.before.status == .waitingOnReporter && ticket.priority == .p0 && update.before.priority != .p0:
                title = "Your ticket is now in progress"
                message =
                    "“\(ticket.title)” was raised to \(ticket.priority.label) and is back in progress: danger to people does not wait "
                    + "on an answer. You can still add what you know in its comments."
            default:
                title = "Your ticket is now \(ticket.status.label.lowercased())"
                message = "“\(ticket.title)” moved from \(update.before.status.label) to \(ticket.status.label)."
            }
            notices.append(
                SystemNotice(
                    title: title, message: message, level: ticket.status == .resolved ? .success : ticket.status == .waitingOnReporter ? .warning : .info,
                    audience: .user(ticket.createdBy), link: link(ticket), kind: .ticketUpdates
                ))
        }
        if let assignee = update.after.assigneeID, assignee != update.before.assigneeID, assignee != actor {
            let ticket = update.after
            notices.append(
                SystemNotice(
                    title: "Ticket assigned to you: \(ticket.title)",
                    message: "\(ticket.priority.label) \(TicketRules.categoryLabel(ticket.category)) problem at \(ticket.location), "
                        + "due within \(ticket.priority.slaText) of being reported.",
                    level: [.p0, .p1].contains(ticket.priority) ? .warning : .info, audience: .user(assignee), link: link(ticket), kind: .assignments
                ))
        }
        return try notices.map { try $0.outboxMessage() }
    }

    /// Reopened by its reporter → the assignee, or the technicians when nobody is assigned, with the reason.
    public static func reopened(_ ticket: Ticket, reason: String) throws -> [OutboxMessage] {
        let notice = SystemNotice(
            title: "Ticket reopened: \(ticket.title)",
            message: "The reporter says it is still broken: “\(String(reason.prefix(300)))” (#\(ticket.id) at \(ticket.location); "
                + "due again within \(ticket.priority.slaText)).",
            level: [.p0, .p1].contains(ticket.priority) ? .warning : .info,
            audience: worker(ticket), link: link(ticket), kind: ticket.assigneeID == nil ? nil : .assignments
        )
        return [try notice.outboxMessage()]
    }

    /// The reporter answered a ticket that waited on them → the assignee, or the technicians when nobody is assigned.
    public static func answered(_ ticket: Ticket, body: String) throws -> [OutboxMessage] {
        let notice = SystemNotice(
            title: "The reporter answered: \(ticket.title)",
            message: "“\(String(body.prefix(300)))” (#\(ticket.id) at \(ticket.location) is back in progress; its SLA clock runs again).",
            level: [.p0, .p1].contains(ticket.priority) ? .warning : .info,
            audience: worker(ticket), link: link(ticket), kind: ticket.assigneeID == nil ? nil : .assignments
        )
        return [try notice.outboxMessage()]
    }

    /// Room marked out of order → each owner of its upcoming bookings, once, with their bookings
    /// (the first three) and the nearest free room of the same kind for each.
    public static func roomOutOfOrder(_ ticket: Ticket, schedule: RoomSchedule, calendar: CampusCalendar) throws -> [OutboxMessage] {
        let room = schedule.room
        var owners: [WireID] = []
        for booking in schedule.bookings where !owners.contains(booking.userId) { owners.append(booking.userId) }
        return try owners.map { owner in
            let theirs = schedule.bookings.filter { $0.userId == owner }
            let lines = theirs.prefix(3).map { booking in
                let when = "\(calendar.spoken(from: booking.startsAt, to: booking.endsAt)) (“\(String(booking.purpose.prefix(80)))”)"
                guard let other = booking.alternative else { return "\(when): no room of the same kind is free then." }
                return "\(when): \(other.name) (\(other.building), \(other.capacity) seats) is free then, the nearest of the same kind."
            }
            let more = theirs.count > 3 ? " And \(theirs.count - 3) more of your bookings there." : ""
            return try SystemNotice(
                title: "Room out of order: \(room.name)",
                message: "\(room.name) (\(room.building)) is out of order (\(ticket.title)). " + lines.joined(separator: " ") + more
                    + " Move your booking from My bookings.",
                level: .warning, audience: .user(owner.description), link: theirs.first.map { NoticeLink(.booking, id: $0.id) }, kind: .bookingUpdates
            ).outboxMessage()
        }
    }

    /// Comment → the owner (unless they wrote it).
    public static func commented(_ ticket: Ticket, _ comment: TicketComment) throws -> [OutboxMessage] {
        guard comment.authorId != ticket.createdBy else { return [] }
        return [
            try SystemNotice(
                title: "New comment on your ticket", message: "“\(ticket.title)”: \(String(comment.body.prefix(300)))",
                level: .info, audience: .user(ticket.createdBy), link: link(ticket), kind: .ticketUpdates
            ).outboxMessage()
        ]
    }

    /// SLA breach → technicians and the assignee.
    public static func breached(_ ticket: Ticket) throws -> [OutboxMessage] {
        var notices = [
            SystemNotice(
                title: "SLA breached: \(ticket.title)", message: "\(ticket.priority.label) ticket #\(ticket.id) at \(ticket.location) is past its deadline.",
                level: .critical, audience: .role(.technician), link: link(ticket), kind: .slaBreaches
            )
        ]
        if let assignee = ticket.assigneeID {
            var own = notices[0]
            own.audience = .user(assignee)
            // The assignee is a technician: the e-mail of the notice to all technicians already reaches them.
            own.kind = nil
            notices.append(own)
        }
        return try notices.map { try $0.outboxMessage() }
    }

    private static func link(_ ticket: Ticket) -> NoticeLink { NoticeLink(.ticket, id: ticket.id) }

    /// Who works on it: its assignee, or every technician while nobody is assigned.
    private static func worker(_ ticket: Ticket) -> Audience { ticket.assigneeID.map { .user($0) } ?? .role(.technician) }
}
