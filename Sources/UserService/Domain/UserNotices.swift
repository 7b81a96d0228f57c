import CampusKit

/// The notices admins receive about accounts, stored with the change that causes them.
public enum UserNotices {
    public static func created(_ user: User) -> SystemNotice {
        SystemNotice(
            title: "New user account", message: "\(user.name) (\(user.email)) was added as \(user.role.withArticle).",
            level: .info, audience: .role(.admin)
        )
    }

    public static func deleted(_ user: User) -> SystemNotice {
        SystemNotice(
            title: "User account deleted", message: "The account of \(user.name) (\(user.email)), \(user.role.withArticle), was deleted.",
            level: .warning, audience: .role(.admin)
        )
    }
}
