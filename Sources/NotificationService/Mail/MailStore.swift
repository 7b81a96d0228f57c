import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// A notice owed by e-mail, claimed for expansion into deliveries.
struct MailJob: Sendable {
    let notificationID: Int
    let kind: NoticeKind
    let attempts: Int
}

/// One e-mail owed to one person, claimed for sending.
struct MailDelivery: Sendable {
    let id: Int
    let recipient: MailRecipient
    let notice: NotificationView
    let kind: NoticeKind
    let invitation: CalendarInvitation?
    let attempts: Int
}

/// What became of a delivery.
enum MailDeliveryResult: Sendable, Equatable {
    case sent
    /// Try again after the back-off.
    case deferred(String)
    /// Never again; the reason is kept.
    case failed(String)
    /// The person turned this e-mail off before it left.
    case skipped
}

/// Mail jobs, deliveries and preferences on SQLite and PostgreSQL. Work is claimed row by row with a
/// version check, so replicas on one PostgreSQL never send the same e-mail twice; a claim lasts
/// ``lease`` and a replica that dies holding one only delays that e-mail.
struct SQLMailStore: DatabaseBacked {
    let provider: DatabaseProvider
    /// The notices the e-mails carry.
    let notices: any NotificationRepository
    let logger: Logger
    let now: @Sendable () -> Date
    static let lease: TimeInterval = 300

    enum State: String { case pending, done, sent, failed, skipped }

    /// Stores the e-mail owed for a new notice, in the transaction that stores the notice.
    static func owe(notificationID: Int, kind: NoticeKind, invitation: CalendarInvitation?, on tx: any Database, now: Date) async throws {
        let job = MailJobRecord()
        job.id = notificationID
        job.kind = kind.rawValue
        job.invitation = try invitation.map { String(decoding: try CampusJSON.encoder.encode($0), as: UTF8.self) }
        job.state = State.pending.rawValue
        job.attempts = 0
        job.nextAttemptAt = now
        job.version = 0
        job.createdAt = now
        try await job.create(on: tx)
    }

    // MARK: Preferences

    func preferences(of userID: String) async throws -> MailPreferences {
        try await MailPreferencesRecord.find(userID, on: try db)?.preferences ?? MailPreferences()
    }

    /// Everyone's choices in one query (a broadcast reaches thousands); people who never chose get the defaults.
    func preferences(of userIDs: [String]) async throws -> [String: MailPreferences] {
        var found: [String: MailPreferences] = [:]
        for record in try await MailPreferencesRecord.query(on: try db).filter(\.$id ~~ userIDs).all() {
            if let id = record.id { found[id] = record.preferences }
        }
        return Dictionary(uniqueKeysWithValues: userIDs.map { ($0, found[$0] ?? MailPreferences()) })
    }

    /// Applies the choices given, keeping the others; returns the result.
    func change(_ changes: [NoticeKind: Bool], of userID: String) async throws -> MailPreferences {
        let now = now().wholeSeconds
        return try await db.transaction { tx in
            let record = try await MailPreferencesRecord.find(userID, on: tx) ?? MailPreferencesRecord(userID: userID, now: now)
            for (kind, choice) in changes { record[kind] = choice }
            record.updatedAt = now
            try await record.save(on: tx)
            return record.preferences
        }
    }

    /// What sending to the person needs, in one read: their choices now and their unsubscribe secret
    /// (made, with the default choices, the first time they are sent an e-mail).
    func recipientSettings(of userID: String) async throws -> (preferences: MailPreferences, unsubscribeSecret: String) {
        let database = try db
        if let record = try await MailPreferencesRecord.find(userID, on: database) { return (record.preferences, record.unsubscribeSecret) }
        let record = MailPreferencesRecord(userID: userID, now: now().wholeSeconds)
        do {
            try await record.create(on: database)
            return (record.preferences, record.unsubscribeSecret)
        } catch {
            // Another replica made it first.
            guard let made = try await MailPreferencesRecord.find(userID, on: database) else { throw error }
            return (made.preferences, made.unsubscribeSecret)
        }
    }

    /// Whose unsubscribe link this is, if anyone's.
    func owner(ofUnsubscribeSecret secret: String) async throws -> String? {
        try await MailPreferencesRecord.query(on: try db).filter(\.$unsubscribeSecret == secret).first()?.id
    }

    /// The address the person's last e-mail went to, to say which address a page is about.
    func lastAddress(of userID: String) async throws -> String? {
        try await MailDeliveryRecord.query(on: try db).filter(\.$userID == userID).sort(\.$id, .descending).first()?.email
    }

    /// Turns every e-mail off for the secret's owner; false when no one has that secret.
    func unsubscribe(secret: String) async throws -> Bool {
        let now = now().wholeSeconds
        return try await db.transaction { tx in
            guard let record = try await MailPreferencesRecord.query(on: tx).filter(\.$unsubscribeSecret == secret).first() else { return false }
            record.preferences = .nothing
            record.updatedAt = now
            try await record.save(on: tx)
            return true
        }
    }

    // MARK: Jobs

    /// Jobs due for expansion, each claimed for ``lease``.
    func claimJobs(limit: Int) async throws -> [MailJob] {
        let now = now()
        let candidates = try await MailJobRecord.query(on: try database(traced: false))
            .filter(\.$state == State.pending.rawValue).filter(\.$nextAttemptAt <= now)
            .sort(\.$nextAttemptAt).limit(limit).all()
        var claimed: [MailJob] = []
        for job in candidates {
            guard let id = job.id, let kind = NoticeKind(rawValue: job.kind) else { continue }
            if try await claim(MailJobRecord.schema, key: "notification_id", id: id, version: job.version, until: now.addingTimeInterval(Self.lease)) {
                claimed.append(MailJob(notificationID: id, kind: kind, attempts: job.attempts))
            }
        }
        return claimed
    }

    /// The job's deliveries (one per recipient, never two for one person) and the job done, in one transaction.
    func expand(_ job: MailJob, to recipients: [MailRecipient]) async throws {
        let now = now().wholeSeconds
        try await db.transaction { tx in
            let sql = tx.sql
            for recipient in recipients {
                try await sql.raw(
                    """
                    INSERT INTO mail_deliveries (notification_id, user_id, name, email, role, state, attempts, next_attempt_at, version, created_at) \
                    VALUES (\(bind: job.notificationID), \(bind: recipient.userID), \(bind: recipient.name), \(bind: recipient.email), \
                    \(bind: recipient.role.rawValue), 'pending', 0, \(bind: now), 0, \(bind: now)) \
                    ON CONFLICT (notification_id, user_id) DO NOTHING
                    """
                ).run()
            }
            try await sql.update(MailJobRecord.schema).set("state", to: State.done.rawValue).set("last_error", to: SQLLiteral.null)
                .where("notification_id", .equal, job.notificationID).run()
        }
    }

    func retry(_ job: MailJob, error: String) async throws {
        try await (try db).sql.update(MailJobRecord.schema)
            .set("attempts", to: job.attempts + 1)
            .set("next_attempt_at", to: now().addingTimeInterval(Self.backoff(attempts: job.attempts + 1)))
            .set("last_error", to: String(error.prefix(500)))
            .where("notification_id", .equal, job.notificationID).run()
    }

    // MARK: Deliveries

    /// Deliveries due, each claimed for ``lease``, with the notice they carry.
    func claimDeliveries(limit: Int) async throws -> [MailDelivery] {
        let now = now()
        let database = try database(traced: false)
        let candidates = try await MailDeliveryRecord.query(on: database)
            .filter(\.$state == State.pending.rawValue).filter(\.$nextAttemptAt <= now)
            .sort(\.$nextAttemptAt).sort(\.$id).limit(limit).all()
        var claimed: [MailDelivery] = []
        for delivery in candidates {
            guard let id = delivery.id,
                try await claim(MailDeliveryRecord.schema, key: "id", id: id, version: delivery.version, until: now.addingTimeInterval(Self.lease))
            else { continue }
            guard let job = try await MailJobRecord.find(delivery.notificationID, on: database), let kind = NoticeKind(rawValue: job.kind),
                let role = Role(rawValue: delivery.role),
                let notice = try await notices.fresh(id: delivery.notificationID)
            else {
                try await record(id: id, attempts: delivery.attempts, .failed("its notice is no longer stored"))
                continue
            }
            let invitation = try job.invitation.map { try CampusJSON.decoder.decode(CalendarInvitation.self, from: Data($0.utf8)) }
            claimed.append(
                MailDelivery(
                    id: id, recipient: MailRecipient(userID: delivery.userID, name: delivery.name, email: delivery.email, role: role),
                    notice: notice, kind: kind, invitation: invitation, attempts: delivery.attempts))
        }
        return claimed
    }

    func record(_ delivery: MailDelivery, _ result: MailDeliveryResult) async throws {
        try await record(id: delivery.id, attempts: delivery.attempts, result)
    }

    private func record(id: Int, attempts: Int, _ result: MailDeliveryResult) async throws {
        let now = now()
        var update = try db.sql.update(MailDeliveryRecord.schema).set("attempts", to: result == .skipped ? attempts : attempts + 1)
        switch result {
        case .sent:
            update = update.set("state", to: State.sent.rawValue).set("sent_at", to: now.wholeSeconds).set("last_error", to: SQLLiteral.null)
        case .deferred(let error):
            update = update.set("next_attempt_at", to: now.addingTimeInterval(Self.backoff(attempts: attempts + 1)))
                .set("last_error", to: String(error.prefix(500)))
        case .failed(let error):
            update = update.set("state", to: State.failed.rawValue).set("last_error", to: String(error.prefix(500)))
        case .skipped:
            update = update.set("state", to: State.skipped.rawValue).set("last_error", to: "not sent: the person turned this e-mail off first")
        }
        try await update.where("id", .equal, id).run()
    }

    /// What waits and what was refused, for `/metrics`: e-mails pending (and notices not yet expanded), refused ones, and the oldest wait.
    func backlog() async throws -> (pending: Int, failed: Int, oldestPending: Date?) {
        let database = try database(traced: false)
        let pending = try await MailDeliveryRecord.query(on: database).filter(\.$state == State.pending.rawValue).count()
        let waitingJobs = try await MailJobRecord.query(on: database).filter(\.$state == State.pending.rawValue).count()
        let failed = try await MailDeliveryRecord.query(on: database).filter(\.$state == State.failed.rawValue).count()
        let oldestDelivery = try await MailDeliveryRecord.query(on: database).filter(\.$state == State.pending.rawValue).sort(\.$createdAt).first()
        let oldestJob = try await MailJobRecord.query(on: database).filter(\.$state == State.pending.rawValue).sort(\.$createdAt).first()
        let oldest = [oldestDelivery?.createdAt, oldestJob?.createdAt].compactMap { $0 }.min()
        return (pending + waitingJobs, failed, oldest)
    }

    /// Deliveries by state, for metrics and tests.
    func counts() async throws -> [String: Int] {
        let rows = try await (try database(traced: false)).sql.raw("SELECT state, COUNT(*) AS total FROM mail_deliveries GROUP BY state").all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "state", as: String.self)] = try row.decode(column: "total", as: Int.self) }
        return counts
    }

    /// Removes the mail bookkeeping of purged notices.
    static func purge(notificationIDs ids: [Int], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: MailDeliveryRecord.schema).where("notification_id", .in, ids).run()
        try await sql.delete(from: MailJobRecord.schema).where("notification_id", .in, ids).run()
    }

    /// 2, 4, 8 … seconds, at most 30: a mail server back from a restart gets its mail within half a minute.
    static func backoff(attempts: Int) -> TimeInterval {
        min(30, pow(2, Double(min(attempts, 10))))
    }

    private func database(traced: Bool) throws -> any Database {
        try provider.database(logger: logger, traced: traced)
    }

    /// Takes a row for this replica if no one changed it since it was read.
    private func claim(_ table: String, key: String, id: Int, version: Int, until: Date) async throws -> Bool {
        let row = try await (try database(traced: false)).sql.raw(
            """
            UPDATE \(ident: table) SET version = version + 1, next_attempt_at = \(bind: until) \
            WHERE \(ident: key) = \(bind: id) AND version = \(bind: version) AND state = 'pending' RETURNING \(ident: key)
            """
        ).first()
        return row != nil
    }
}
