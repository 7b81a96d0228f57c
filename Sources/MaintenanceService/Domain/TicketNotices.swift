import CampusKit

/// The system notices of docs/contract.md §8 for ticket events, in one place.
public enum TicketNotices {
    /// Ticket created → technicians; a P0 also → admins, as critical.
    public static func created(_ ticket: Ticket) throws -> [OutboxMessage] {
        var notices = [
            SystemNotice(
                title: "New \(ticket.priority.rawValue) ticket: \(ticket.title)",
                message: "\(ticket.category) at \(ticket.location); due \(CampusJSON.timestamp(ticket.slaDueAt)).",
                level: [.p0, .p1].contains(ticket.priority) ? .warning : .info, audience: .role(.technician)
            )
        ]
        if ticket.priority == .p0 {
            notices[0].level = .critical
            notices.append(
                SystemNotice(
                    title: "P0 emergency: \(ticket.title)", message: "\(ticket.location). Facilities have been alerted.",
                    level: .critical, audience: .role(.admin)
                ))
        }
        return try notices.map { try $0.outboxMessage() }
    }

    /// Status change → the owner (unless they made it themselves).
    public static func updated(_ update: TicketUpdate, actor: String) throws -> [OutboxMessage] {
        guard update.before.status != update.after.status, update.after.createdBy != actor else { return [] }
        return [
            try SystemNotice(
                title: "Your ticket is \(update.after.status.rawValue.replacingOccurrences(of: "_", with: " "))",
                message: "\"\(update.after.title)\" moved from \(update.before.status.rawValue) to \(update.after.status.rawValue).",
                level: update.after.status == .resolved ? .success : .info, audience: .user(update.after.createdBy)
            ).outboxMessage()
        ]
    }

    /// Comment → the owner (unless they wrote it).
    public static func commented(_ ticket: Ticket, _ comment: TicketComment) throws -> [OutboxMessage] {
        guard comment.authorId != ticket.createdBy else { return [] }
        return [
            try SystemNotice(
                title: "New comment on your ticket", message: "\"\(ticket.title)\": \(String(comment.body.prefix(300)))",
                level: .info, audience: .user(ticket.createdBy)
            ).outboxMessage()
        ]
    }

    /// SLA breach → technicians and the assignee.
    public static func breached(_ ticket: Ticket) throws -> [OutboxMessage] {
        var notices = [
            SystemNotice(
                title: "SLA breached: \(ticket.title)", message: "\(ticket.priority.rawValue) ticket #\(ticket.id) at \(ticket.location) is past its deadline.",
                level: .critical, audience: .role(.technician)
            )
        ]
        if let assignee = ticket.assigneeID {
            notices.append(SystemNotice(title: notices[0].title, message: notices[0].message, level: .critical, audience: .user(assignee)))
        }
        return try notices.map { try $0.outboxMessage() }
    }
}
