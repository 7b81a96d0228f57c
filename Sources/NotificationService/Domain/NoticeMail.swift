import CampusKit
import Foundation

/// Someone a notice is e-mailed to, as user management knows them.
public struct MailRecipient: Sendable, Equatable {
    public let userID: String
    public let name: String
    public let email: String
    public let role: Role

    public init(userID: String, name: String, email: String, role: Role) {
        self.userID = userID
        self.name = name
        self.email = email
        self.role = role
    }
}

/// The e-mail of one notice to one person (docs/contract.md §8): the notice's title as subject, its
/// message in plain text and HTML with a link to the page, the links to change or stop e-mail, and
/// for bookings the calendar invitation (`REQUEST` or `CANCEL`) mail programs offer to add.
public struct NoticeMail: Sendable {
    public let notice: NotificationView
    public let kind: NoticeKind
    public let invitation: CalendarInvitation?
    public let recipient: MailRecipient
    public let from: MailAddress
    /// `PUBLIC_URL`, without a trailing slash.
    public let publicURL: String
    public let unsubscribeSecret: String

    public init(
        notice: NotificationView, kind: NoticeKind, invitation: CalendarInvitation?, recipient: MailRecipient, from: MailAddress,
        publicURL: String, unsubscribeSecret: String
    ) {
        self.notice = notice
        self.kind = kind
        self.invitation = invitation
        self.recipient = recipient
        self.from = from
        self.publicURL = publicURL
        self.unsubscribeSecret = unsubscribeSecret
    }

    /// The same for every attempt, so a message sent twice after a crash is one message to mail programs.
    /// With the notice's creation time, so a reinstalled or a staging installation's notice 1 is another message.
    public var messageID: String {
        "notice-\(notice.id).\(Int(notice.createdAt.timeIntervalSince1970.rounded(.down))).user-\(recipient.userID)@\(from.domain)"
    }
    /// The booking's or ticket's thread (`References`): mail programs group a confirmation and its cancellation, or one ticket's updates.
    public var threadID: String? {
        notice.link.map { "\($0.kind.rawValue)-\($0.id).user-\(recipient.userID)@\(from.domain)" }
    }
    public var unsubscribeURL: String { "\(publicURL)/api/notifications/unsubscribe/\(unsubscribeSecret)" }
    public var preferencesURL: String { "\(publicURL)/#/profile" }

    /// Where on the page the notice leads.
    public var pageURL: String {
        switch notice.link {
        case .some(let link) where link.kind == .booking: "\(publicURL)/#/bookings?id=\(link.id)"
        case .some(let link): "\(publicURL)/#/tickets?id=\(link.id)"
        case nil: "\(publicURL)/#/notifications"
        }
    }

    static func reason(_ kind: NoticeKind) -> String {
        switch kind {
        case .bookingUpdates: "confirmations and cancellations of your bookings"
        case .ticketUpdates: "updates on tickets you reported"
        case .assignments: "tickets assigned to you"
        case .slaBreaches: "tickets past their deadline"
        case .broadcasts: "announcements from administrators"
        }
    }

    public func message(date: Date) -> MailMessage? {
        guard let to = MailAddress(name: recipient.name, address: recipient.email) else { return nil }
        let text = """
            Hello \(recipient.name),

            \(notice.message)

            Open Campus Services Hub: \(pageURL)
            \(invitation.map { $0.method == .cancel ? "\nThe attached calendar cancellation removes it from your calendar.\n" : "\nAdd it to your calendar with the attached invitation.\n" } ?? "")
            --
            You get this e-mail because e-mail about \(Self.reason(kind)) is on.
            Choose what you get by e-mail: \(preferencesURL)
            Stop all e-mail from Campus Services Hub: \(unsubscribeURL)
            """
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(notice.title))</title></head>
            <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1f24;">
            <p>Hello \(Self.escape(recipient.name)),</p>
            <p>\(Self.escape(notice.message).replacingOccurrences(of: "\n", with: "<br>"))</p>
            <p><a href="\(Self.escape(pageURL))">Open Campus Services Hub</a></p>
            <hr>
            <p style="font-size: 0.9em; color: #57606a;">You get this e-mail because e-mail about \(Self.escape(Self.reason(kind))) is on.
            <a href="\(Self.escape(preferencesURL))">Choose what you get by e-mail</a> or
            <a href="\(Self.escape(unsubscribeURL))">stop all e-mail from Campus Services Hub</a>.</p>
            </body></html>
            """
        var attachments: [MailMessage.Attachment] = []
        if let invitation, !invitation.events.isEmpty {
            let calendar = ICalendar(
                name: "Campus Services Hub", events: invitation.events, stamp: date, method: invitation.method, organizer: from, attendee: to)
            attachments.append(
                .init(
                    contentType: "text/calendar; charset=utf-8; method=\(invitation.method.rawValue)",
                    fileName: invitation.method == .cancel ? "cancel.ics" : "invite.ics", content: calendar.render()))
        }
        return MailMessage(
            from: from, to: to, subject: notice.title, date: date, messageID: messageID,
            headers: (threadID.map { [("References", "<\($0)>"), ("In-Reply-To", "<\($0)>")] } ?? []) + [
                ("List-Unsubscribe", "<\(unsubscribeURL)>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("Auto-Submitted", "auto-generated"),
            ],
            text: text, html: html, attachments: attachments)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
