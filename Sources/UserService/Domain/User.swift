import CampusKit
import Foundation

/// A person with an account. `passwordHash` never leaves the service (see ``UserResponse``).
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var name: String
    public var role: Role
    public var passwordHash: String
    public var createdAt: Date
    public var updatedAt: Date
    /// Tokens issued (`iat`) before this are ended; see ``UserChanges/endsEarlierTokens``.
    public var tokensValidAfter: Date? = nil
}

/// A user about to be stored.
public struct NewUser: Sendable, Equatable {
    public var email: String
    public var name: String
    public var role: Role
    public var passwordHash: String
}

/// Changes to a stored user; `nil` leaves a field as it is.
public struct UserChanges: Sendable, Equatable {
    public var email: String?
    public var name: String?
    public var role: Role?
    public var passwordHash: String?

    /// A new role or password ends every token issued before the change (docs/contract.md §11): a demoted
    /// technician's old token must not keep technician powers, nor a stolen one outlive a new password.
    public var endsEarlierTokens: Bool { role != nil || passwordHash != nil }

    /// The first `iat` still accepted after a change made at `now`. Tokens carry whole seconds, so
    /// every token of the change's own second is ended too; the gateway issues new ones from here.
    public static func tokensValidAfter(changeAt now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970.rounded(.down) + 1))
    }

    public init(email: String? = nil, name: String? = nil, role: Role? = nil, passwordHash: String? = nil) {
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
    }
}
