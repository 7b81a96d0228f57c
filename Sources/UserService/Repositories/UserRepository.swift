import CampusKit
import Foundation

/// Why a write was refused.
public enum UserStoreError: Error, Equatable {
    case emailTaken
    case notFound
    /// The change would leave no admin.
    case lastAdmin
}

/// Storage of accounts. Writes take the outbox messages that must be stored with them.
public protocol UserRepository: Sendable {
    func list(role: Role?, page: Pagination) async throws -> (users: [User], total: Int)
    func find(id: Int) async throws -> User?
    func find(email: String) async throws -> User?
    func count() async throws -> Int
    func create(_ user: NewUser, outbox: @escaping @Sendable (User) throws -> [OutboxMessage]) async throws -> User
    func update(id: Int, _ changes: UserChanges) async throws -> User
    func delete(id: Int, outbox: @escaping @Sendable (User) throws -> [OutboxMessage]) async throws
}
