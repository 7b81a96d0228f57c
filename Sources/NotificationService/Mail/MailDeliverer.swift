import CampusKit
import Foundation
import Logging
import ServiceLifecycle

/// Sends the e-mail notices owe (issue 16): each pass turns due jobs into one delivery per person
/// the notice reaches whose preferences want it, then sends due deliveries over one SMTP session.
/// A mail server that is down or answers 4xx only delays mail (back-off up to 30 s); a 5xx parks
/// that one e-mail as failed with the reason. A graceful stop lets the message in flight finish.
struct MailDeliverer: Service {
    let store: SQLMailStore
    let directory: any UserDirectory
    let smtp: SMTPClient
    let publicURL: String
    let database: DatabaseProvider
    let logger: Logger
    let interval: Duration
    let batchSize: Int
    let now: @Sendable () -> Date

    init(
        store: SQLMailStore, directory: any UserDirectory, smtp: SMTPClient, publicURL: String, database: DatabaseProvider, logger: Logger,
        interval: Duration = .milliseconds(500), batchSize: Int = 50, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.directory = directory
        self.smtp = smtp
        self.publicURL = publicURL
        self.database = database
        self.logger = logger
        self.interval = interval
        self.batchSize = batchSize
        self.now = now
    }

    func run() async throws {
        guard await database.waitUntilMigrated() else { return }
        logger.info(
            "E-mail of notices is on",
            metadata: [
                "smtp_host": "\(smtp.settings.host)", "smtp_port": "\(smtp.settings.port)", "smtp_tls": "\(smtp.settings.security.rawValue)",
                "smtp_from": "\(smtp.settings.from.address)", "public_url": "\(publicURL)",
            ])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var busy = false
            do {
                busy = try await expandDue() == batchSize
                busy = try await sendDue() == batchSize || busy
            } catch {
                logger.warning("E-mail pass failed", metadata: ["error": "\(error)"])
            }
            if !busy { _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } }
        }
    }

    /// Turns due jobs into deliveries. Returns how many jobs it took.
    @discardableResult
    func expandDue() async throws -> Int {
        let jobs = try await store.claimJobs(limit: batchSize)
        for job in jobs {
            do {
                guard let notice = try await store.notices.fresh(id: job.notificationID) else {
                    try await store.expand(job, to: [])
                    continue
                }
                let recipients = try await directory.recipients(of: notice.audience)
                let preferences = try await store.preferences(of: recipients.map(\.userID))
                try await store.expand(job, to: recipients.filter { preferences[$0.userID]?.allows(job.kind, role: $0.role) ?? false })
            } catch {
                logger.warning(
                    "Could not find whom a notice's e-mail is for; will try again", metadata: ["notification_id": "\(job.notificationID)", "error": "\(error)"])
                try await store.retry(job, error: "\(error)")
            }
        }
        return jobs.count
    }

    /// Sends due deliveries over one session. Returns how many it took.
    @discardableResult
    func sendDue() async throws -> Int {
        let deliveries = try await store.claimDeliveries(limit: batchSize)
        guard !deliveries.isEmpty else { return 0 }
        var remaining = deliveries[...]
        var why = "not sent yet: the service was stopping"
        do {
            try await smtp.withSession { session in
                while let delivery = remaining.first, !Task.isShuttingDownGracefully {
                    try await store.record(delivery, try await send(delivery, over: session))
                    remaining.removeFirst()
                }
            }
        } catch {
            why = smtp.explain(error)
            logger.warning("Could not send e-mail; it waits and is tried again", metadata: ["error": "\(why)", "waiting": "\(remaining.count)"])
        }
        // Left for later: those not reached (a graceful stop, or the session failed). Claimed ones are released for the back-off.
        for delivery in remaining { try await store.record(delivery, .deferred(why)) }
        return deliveries.count
    }

    private func send(_ delivery: MailDelivery, over session: SMTPSession) async throws -> MailDeliveryResult {
        // The person may have turned this off since the delivery was made: their choice now is the one that counts.
        let recipient = try await store.recipientSettings(of: delivery.recipient.userID)
        guard recipient.preferences.allows(delivery.kind, role: delivery.recipient.role) else { return .skipped }
        let mail = NoticeMail(
            notice: delivery.notice, kind: delivery.kind, invitation: delivery.invitation, recipient: delivery.recipient, from: smtp.settings.from,
            publicURL: publicURL, unsubscribeSecret: recipient.unsubscribeSecret)
        guard let message = mail.message(date: now()) else {
            return .failed("\(delivery.recipient.email) is not an address this server can send to")
        }
        switch try await session.send(from: smtp.settings.from.address, to: delivery.recipient.email, data: message.rendered()) {
        case .accepted:
            logger.info("E-mail sent", metadata: ["notification_id": "\(delivery.notice.id)", "user_id": "\(delivery.recipient.userID)"])
            return .sent
        case .deferred(let reply):
            logger.warning(
                "The mail server deferred an e-mail",
                metadata: ["notification_id": "\(delivery.notice.id)", "user_id": "\(delivery.recipient.userID)", "reply": "\(reply)"])
            return .deferred("\(reply)")
        case .rejected(let reply):
            logger.error(
                "The mail server refused an e-mail; it will not be sent",
                metadata: ["notification_id": "\(delivery.notice.id)", "user_id": "\(delivery.recipient.userID)", "reply": "\(reply)"])
            return .failed("\(reply)")
        }
    }

}
