import CampusKit
import Foundation
import Hummingbird

/// The user object of docs/contract.md §5: `{"id","email","name","role","created_at"}`. No secrets.
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
