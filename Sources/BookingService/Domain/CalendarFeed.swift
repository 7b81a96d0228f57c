import CampusKit
import Foundation

/// A user's secret calendar address (`/calendar/<secret>.ics`, like Google Calendar's "secret
/// address in iCal format"): calendar apps subscribe to it without a token, so the secret is the
/// only key. 32 random bytes, base64url: unguessable, and safe in a URL path. Resetting it gives a
/// new secret and the old address stops working at once.
public struct CalendarFeed: Sendable, Equatable {
    public let userID: String
    public let secret: String
    /// The role the owner had when the address was made or reset: faculty and admins may also follow rooms.
    public let role: Role
    /// The owner's name, for the calendar's title.
    public let ownerName: String
    public let createdAt: Date

    /// How often subscribers should fetch it again (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`).
    public static let refreshMinutes = 15
    /// How far back a feed reaches: recent bookings stay in subscribers' calendars.
    public static let history: TimeInterval = 30 * 86_400

    public init(userID: String, secret: String, role: Role, ownerName: String, createdAt: Date) {
        self.userID = userID
        self.secret = secret
        self.role = role
        self.ownerName = ownerName
        self.createdAt = createdAt
    }

    /// A new address for `identity`.
    public static func new(for identity: Identity, now: Date) -> CalendarFeed {
        CalendarFeed(userID: identity.userID, secret: URLSecret.make(), role: identity.role, ownerName: identity.name, createdAt: now)
    }

    /// The user's own bookings.
    public var path: String { "/calendar/\(secret).ics" }
    /// One room's bookings, for those who may follow rooms; `{room_id}` stands for the room's id.
    public var roomPathTemplate: String? { mayFollowRooms ? "/calendar/\(secret)/rooms/{room_id}.ics" : nil }
    public var mayFollowRooms: Bool { role == .faculty || role == .admin }

    /// The secret in a path segment, if it can be one: exactly 43 base64url characters.
    public static func secret(in segment: Substring) -> String? { URLSecret.parse(segment) }

    /// `<name>.ics` → `<name>`.
    public static func stem(of file: String) -> Substring? {
        guard file.hasSuffix(".ics") else { return nil }
        return file.dropLast(4)
    }
}
