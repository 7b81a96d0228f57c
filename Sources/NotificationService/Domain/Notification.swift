import CampusKit
import Foundation
import Hummingbird

/// Who a notification is for: one user, everyone with a role, or everyone.
public enum Audience: Sendable, Equatable, Codable {
    case user(String)
    case role(Role)
    case everyone

    enum CodingKeys: String, CodingKey { case userId, role, all }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A user id as `/users` gives it (228) or in its string form ("228").
        let userID = try container.decodeIfPresent(WireID.self, forKey: .userId)
        let role = try container.decodeIfPresent(String.self, forKey: .role)
        let all = try container.decodeIfPresent(Bool.self, forKey: .all)
        switch (userID, role, all) {
        case let (userID?, nil, nil):
            self = .user(userID.description)
        case let (nil, role?, nil):
            guard let parsed = Role(rawValue: role.lowercased()), parsed != .service else {
                throw APIError.invalid("audience.role", "\"\(role)\" is not one of admin, faculty, student, technician")
            }
            self = .role(parsed)
        case (nil, nil, true?):
            self = .everyone
        default:
            throw APIError.invalid("audience", #"must be exactly one of {"user_id": 228}, {"role": "…"} or {"all": true}"#)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .user(let id): try container.encode(try WireID(stored: id), forKey: .userId)
        case .role(let role): try container.encode(role, forKey: .role)
        case .everyone: try container.encode(true, forKey: .all)
        }
    }

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
}

/// A notification as one reader sees it (CONTRACT §8): `read` is that reader's own state.
public struct NotificationView: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let title: String
    public let message: String
    public let level: Level
    public let audience: Audience
    public let createdAt: Date
    public let read: Bool
}
