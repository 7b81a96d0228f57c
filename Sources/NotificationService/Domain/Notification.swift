import CampusKit
import Foundation

extension Audience {
    /// Whether `reader` is addressed.
    public func includes(_ reader: Reader) -> Bool {
        switch self {
        case .user(let id): id == reader.userID
        case .role(let role): role == reader.role
        case .everyone: true
        }
    }
}

/// The person reading their notifications.
public struct Reader: Sendable, Equatable {
    public let userID: String
    public let role: Role
    public init(userID: String, role: Role) {
        self.userID = userID
        self.role = role
    }
}

public typealias Level = SystemNotice.Level

/// A notification about to be stored.
public struct NewNotification: Sendable, Equatable {
    public var title: String
    public var message: String
    public var level: Level
    public var audience: Audience
    public var eventID: String?
    public var createdBy: String
    public var link: NoticeLink? = nil
    /// What it is about, when it may also go by e-mail.
    public var kind: NoticeKind? = nil
    public var invitation: CalendarInvitation? = nil
}

/// A notification as one reader sees it (docs/contract.md §8): `read` is that reader's own state.
public struct NotificationView: Codable, Sendable, Equatable {
    public let id: Int
    public let title: String
    public let message: String
    public let level: Level
    public let audience: Audience
    public let createdAt: Date
    public let read: Bool
    /// The booking or ticket it is about; null when it is about neither.
    public let link: NoticeLink?

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(message, forKey: .message)
        try container.encode(level, forKey: .level)
        try container.encode(audience, forKey: .audience)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(read, forKey: .read)
        try container.encode(link, forKey: .link)
    }
}
