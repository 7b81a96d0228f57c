import CampusKit
import FluentKit
import Foundation

/// The `users` table row. Mapped to ``User`` at the repository's edge.
final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "tokens_valid_after") var tokensValidAfter: Date?

    init() {}

    init(_ user: NewUser, now: Date) {
        self.email = user.email
        self.name = user.name
        self.role = user.role.rawValue
        self.passwordHash = user.passwordHash
        self.createdAt = now
        self.updatedAt = now
        // No token from before the account existed is its own (ids of deleted accounts can come back).
        self.tokensValidAfter = now
    }

    func domain() throws -> User {
        guard let id, let role = Role(rawValue: role) else {
            throw CorruptRecord(table: Self.schema, id: id.map(String.init), "the role \"\(role)\" is unknown")
        }
        return User(
            id: id, email: email, name: name, role: role, passwordHash: passwordHash, createdAt: createdAt, updatedAt: updatedAt,
            tokensValidAfter: tokensValidAfter
        )
    }
}
