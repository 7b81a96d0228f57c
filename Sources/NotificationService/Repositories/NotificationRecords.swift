import CampusKit
import FluentKit
import Foundation

final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "message") var message: String
    @Field(key: "level") var level: String
    @Field(key: "audience_type") var audienceType: String
    @OptionalField(key: "audience_user_id") var audienceUserID: String?
    @OptionalField(key: "audience_role") var audienceRole: String?
    @OptionalField(key: "event_id") var eventID: String?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "link_kind") var linkKind: String?
    @OptionalField(key: "link_id") var linkID: Int?

    init() {}

    init(_ new: NewNotification, now: Date) {
        title = new.title
        message = new.message
        level = new.level.rawValue
        eventID = new.eventID
        createdBy = new.createdBy
        createdAt = now
        (audienceType, audienceUserID, audienceRole) = new.audience.stored
        linkKind = new.link?.kind.rawValue
        linkID = new.link?.id
    }

    func view(read: Bool) throws -> NotificationView {
        guard let id else { throw CorruptRecord(table: Self.schema, id: nil, "no id after saving") }
        return try NotificationView.stored(
            id: id, title: title, message: message, level: level,
            audience: (audienceType, audienceUserID, audienceRole), createdAt: createdAt, read: read, link: (linkKind, linkID)
        )
    }
}

final class NotificationReadRecord: Model, @unchecked Sendable {
    static let schema = "notification_reads"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "notification_id") var notificationID: Int
    @Field(key: "user_id") var userID: String
    @Field(key: "read_at") var readAt: Date
    init() {}
}

extension NotificationView {
    /// A notification as stored, read back by either query path; anything the table should not
    /// hold (an unknown level or audience) is a `CorruptRecord`, never a silent default.
    static func stored(
        id: Int, title: String, message: String, level: String,
        audience: (kind: String, userID: String?, role: String?), createdAt: Date, read: Bool, link: (kind: String?, id: Int?)
    ) throws -> NotificationView {
        let table = NotificationRecord.schema
        guard let level = Level(rawValue: level) else { throw CorruptRecord(table: table, id: String(id), "the level \"\(level)\" is unknown") }
        return NotificationView(
            id: id, title: title, message: message, level: level,
            audience: try Audience(storedKind: audience.kind, userID: audience.userID, role: audience.role, table: table, id: String(id)),
            createdAt: createdAt, read: read, link: try storedLink(link, id: id)
        )
    }

    private static func storedLink(_ link: (kind: String?, id: Int?), id: Int) throws -> NoticeLink? {
        switch link {
        case (nil, nil): return nil
        case (let kind?, let target?):
            guard let kind = NoticeLink.Kind(rawValue: kind) else {
                throw CorruptRecord(table: NotificationRecord.schema, id: String(id), "the link kind \"\(kind)\" is unknown")
            }
            return NoticeLink(kind, id: target)
        default:
            throw CorruptRecord(table: NotificationRecord.schema, id: String(id), "a link needs both a kind and an id")
        }
    }
}
