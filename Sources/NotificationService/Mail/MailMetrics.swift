import CampusKit
import Foundation
import Logging

extension HTTPMetrics {
    /// The e-mail backlog at each scrape (0 while e-mail is off): `campus_mail_pending_emails` (e-mails
    /// not yet accepted by the mail server, and notices whose recipients are not yet looked up),
    /// `campus_mail_oldest_pending_age_seconds` and `campus_mail_failed_emails` (refused with a 5xx, never retried).
    func watchMail(_ store: SQLMailStore, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        let pending = gauge("campus_mail_pending_emails")
        let oldest = gauge("campus_mail_oldest_pending_age_seconds")
        let failed = gauge("campus_mail_failed_emails")
        addProbe(upTo: .seconds(1)) {
            do {
                let backlog = try await store.backlog()
                pending.set(Double(backlog.pending))
                failed.set(Double(backlog.failed))
                oldest.set(backlog.oldestPending.map { max(0, now().timeIntervalSince($0)) } ?? 0)
            } catch {
                logger.debug("E-mail metrics not read", metadata: ["error": "\(error)"])
            }
        }
    }
}
