import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// ``NotificationRepository`` on SQLite and PostgreSQL. Who sees what is one SQL predicate
/// (``visible(to:)``), and read state is one row per reader, so a broadcast read by one
/// person stays unread for everyone else.
public struct SQLNotificationRepository: NotificationRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let now: @Sendable () -> Date
    /// Whether e-mail is on (`SMTP_HOST`): a new notice of a kind that may go by e-mail then owes its e-mail, stored with it.
    let mailing: Bool

    public init(provider: DatabaseProvider, logger: Logger, now: @escaping @Sendable () -> Date = Date.init, mailing: Bool = false) {
        self.provider = provider
        self.logger = logger
        self.now = now
        self.mailing = mailing
    }

    private func sql() throws -> any SQLDatabase { try db.sql }

    /// Addressed to the reader: to everyone, to their role, or to them.
    private func visible(to reader: Reader) -> SQLQueryString {
        """
        (n.audience_type = 'all' \
        OR (n.audience_type = 'role' AND n.audience_role = \(bind: reader.role.rawValue)) \
        OR (n.audience_type = 'user' AND n.audience_user_id = \(bind: reader.userID)))
        """
    }

    private func unread(by reader: Reader) -> SQLQueryString {
        "NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = \(bind: reader.userID))"
    }

    private func readFlag(for reader: Reader) -> SQLQueryString {
        """
        CASE WHEN EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = \(bind: reader.userID)) \
        THEN 1 ELSE 0 END AS is_read
        """
    }

    public func create(_ notification: NewNotification) async throws -> (view: NotificationView, created: Bool) {
        let now = now().wholeSeconds
        let database = try db
        return try await database.transaction { tx in
            if let eventID = notification.eventID, try await !ProcessedEvents.claim(eventID, on: tx, now: now) {
                if let existing = try await NotificationRecord.query(on: tx).filter(\.$eventID == eventID).first() {
                    return (try existing.view(read: false), false)
                }
                // Seen before, but its notification has since been purged: still nothing new to store.
                throw NotificationStoreError.eventAlreadyDelivered(eventID)
            }
            let record = NotificationRecord(notification, now: now)
            try await record.create(on: tx)
            let view = try record.view(read: false)
            if mailing, let kind = notification.kind {
                try await SQLMailStore.owe(notificationID: view.id, kind: kind, invitation: notification.invitation, on: tx, now: now)
            }
            return (view, true)
        }
    }

    public func list(for reader: Reader, unreadOnly: Bool, page: Pagination) async throws -> (items: [NotificationView], total: Int) {
        let sql = try sql()
        let filter: SQLQueryString = unreadOnly ? "\(visible(to: reader)) AND \(unread(by: reader))" : visible(to: reader)
        let total =
            try await sql.raw("SELECT COUNT(*) AS total FROM notifications n WHERE \(filter)")
            .first()?.decode(column: "total", as: Int.self) ?? 0
        let rows = try await sql.raw(
            """
            SELECT n.*, \(readFlag(for: reader)) FROM notifications n WHERE \(filter) \
            ORDER BY n.created_at DESC, n.id DESC LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)
            """
        ).all()
        return (try rows.map(Self.view), total)
    }

    public func unreadCount(for reader: Reader) async throws -> Int {
        try await sql().raw("SELECT COUNT(*) AS total FROM notifications n WHERE \(visible(to: reader)) AND \(unread(by: reader))")
            .first()?.decode(column: "total", as: Int.self) ?? 0
    }

    public func find(id: Int, for reader: Reader) async throws -> NotificationView? {
        try await sql().raw("SELECT n.*, \(readFlag(for: reader)) FROM notifications n WHERE n.id = \(bind: id) AND \(visible(to: reader))")
            .first().map(Self.view)
    }

    public func fresh(id: Int) async throws -> NotificationView? {
        try await sql().raw("SELECT n.*, 0 AS is_read FROM notifications n WHERE n.id = \(bind: id)").first().map(Self.view)
    }

    public func setRead(id: Int, read: Bool, for reader: Reader) async throws -> NotificationView? {
        guard try await find(id: id, for: reader) != nil else { return nil }
        let sql = try sql()
        if read {
            try await sql.raw(
                """
                INSERT INTO notification_reads (notification_id, user_id, read_at) \
                VALUES (\(bind: id), \(bind: reader.userID), \(bind: now().wholeSeconds)) \
                ON CONFLICT (notification_id, user_id) DO NOTHING
                """
            ).run()
        } else {
            try await sql.raw("DELETE FROM notification_reads WHERE notification_id = \(bind: id) AND user_id = \(bind: reader.userID)").run()
        }
        return try await find(id: id, for: reader)
    }

    public func markAllRead(for reader: Reader) async throws -> Int {
        let now = now().wholeSeconds
        let visible = visible(to: reader)
        let unread = unread(by: reader)
        return try await db.transaction { tx in
            let sql = tx.sql
            let count =
                try await sql.raw("SELECT COUNT(*) AS total FROM notifications n WHERE \(visible) AND \(unread)")
                .first()?.decode(column: "total", as: Int.self) ?? 0
            try await sql.raw(
                """
                INSERT INTO notification_reads (notification_id, user_id, read_at) \
                SELECT n.id, \(bind: reader.userID), \(bind: now) FROM notifications n WHERE \(visible) AND \(unread) \
                ON CONFLICT (notification_id, user_id) DO NOTHING
                """
            ).run()
            return count
        }
    }

    public func purge(createdBefore cutoff: Date, batchSize: Int) async throws -> Int {
        var purged = 0
        while true {
            let deleted = try await db.transaction { tx in
                let sql = tx.sql
                let ids = try await sql.raw("SELECT id FROM notifications WHERE created_at < \(bind: cutoff) ORDER BY id LIMIT \(bind: batchSize)")
                    .all().map { try $0.decode(column: "id", as: Int.self) }
                guard !ids.isEmpty else { return 0 }
                try await sql.delete(from: NotificationReadRecord.schema).where("notification_id", .in, ids).run()
                try await SQLMailStore.purge(notificationIDs: ids, on: sql)
                try await sql.delete(from: NotificationRecord.schema).where("id", .in, ids).run()
                return ids.count
            }
            purged += deleted
            if deleted < batchSize { break }
        }
        try await sql().delete(from: ProcessedEvents.schema).where("received_at", .lessThan, cutoff).run()
        return purged
    }

    private static func view(_ row: any SQLRow) throws -> NotificationView {
        try NotificationView.stored(
            id: try row.decode(column: "id", as: Int.self),
            title: try row.decode(column: "title", as: String.self),
            message: try row.decode(column: "message", as: String.self),
            level: try row.decode(column: "level", as: String.self),
            audience: (
                try row.decode(column: "audience_type", as: String.self),
                try row.decode(column: "audience_user_id", as: String?.self),
                try row.decode(column: "audience_role", as: String?.self)
            ),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            read: try row.decode(column: "is_read", as: Int.self) == 1,
            link: (try row.decode(column: "link_kind", as: String?.self), try row.decode(column: "link_id", as: Int?.self))
        )
    }
}
