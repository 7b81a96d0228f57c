import CampusKit
import Foundation
import Hummingbird

/// A person with an account. `passwordHash` never leaves the service (see ``UserResponse``).
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var name: String
    public var role: Role
    public var passwordHash: String
    public var createdAt: Date
    public var updatedAt: Date
}

/// The user object of CONTRACT §5: `{"id","email","name","role","created_at"}`. No secrets.
public struct UserResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let email: String
    public let name: String
    public let role: Role
    public let createdAt: Date

    public init(_ user: User) {
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.createdAt = user.createdAt
    }
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

    public init(email: String? = nil, name: String? = nil, role: Role? = nil, passwordHash: String? = nil) {
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
    }
}
