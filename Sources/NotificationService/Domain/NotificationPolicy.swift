import CampusKit

/// docs/contract.md §3's notification rows.
public enum NotificationCapability: String, Hashable, Sendable, CustomStringConvertible {
    case readOwn = "read their notifications"
    case send = "send notifications"
    public var description: String { rawValue }
}

public enum NotificationPolicy {
    public static let table = AccessPolicy<NotificationCapability>([
        .readOwn: [.admin, .faculty, .student, .technician],
        .send: [.admin, .service],
    ])
}
