import FluentKit
import Foundation
import Logging

extension HTTPMetrics {
    /// The outbox backlog at each scrape: `campus_outbox_pending_events`,
    /// `campus_outbox_oldest_pending_age_seconds` (0 when none is pending) and
    /// `campus_outbox_failed_events` (parked: refused by their receiver, never retried).
    public func watchOutbox(database: DatabaseProvider, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        let pending = gauge("campus_outbox_pending_events")
        let oldest = gauge("campus_outbox_oldest_pending_age_seconds")
        let failed = gauge("campus_outbox_failed_events")
        addProbe(upTo: .seconds(1)) {
            do {
                let db = try database.database(logger: logger, traced: false)
                pending.set(Double(try await OutboxEvent.query(on: db).filter(\.$state == .pending).count()))
                failed.set(Double(try await OutboxEvent.query(on: db).filter(\.$state == .failed).count()))
                let first = try await OutboxEvent.query(on: db).filter(\.$state == .pending).sort(\.$createdAt).first()
                oldest.set(first.map { max(0, now().timeIntervalSince($0.createdAt)) } ?? 0)
            } catch {
                // Not migrated yet, or the database is down (readiness reports that): keep the last values.
                logger.debug("Outbox metrics not read", metadata: ["error": "\(error)"])
            }
        }
    }
}
