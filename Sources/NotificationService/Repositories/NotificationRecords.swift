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

    init() {}

    init(_ new: NewNotification, now: Date) {
        title = new.title
        message = new.message
        level = new.level.rawValue
        eventID = new.eventID
        createdBy = new.createdBy
        createdAt = now
        switch new.audience {
        case .user(let id): audienceType = "user"; audienceUserID = id
        case .role(let role): audienceType = "role"; audienceRole = role.rawValue
        case .everyone: audienceType = "all"
        }
    }

    var audience: Audience {
        switch audienceType {
        case "user": .user(audienceUserID ?? "")
        case "role": .role(Role(rawValue: audienceRole ?? "") ?? .admin)
        default: .everyone
        }
    }

    func view(read: Bool) throws -> NotificationView {
        guard let id else { throw APIError.internalError }
        return NotificationView(
            id: id, title: title, message: message, level: Level(rawValue: level) ?? .info, audience: audience,
            createdAt: createdAt, read: read
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
