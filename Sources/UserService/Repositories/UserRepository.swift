import CampusKit
import Foundation

/// Why a write was refused.
public enum UserStoreError: Error, Equatable {
    case emailTaken
    case notFound
    /// The change would leave no admin.
    case lastAdmin
}

/// Storage of accounts. Creating and deleting an account store the admins' notice
/// (`UserNotices`) in the outbox in the same transaction.
public protocol UserRepository: Sendable {
    /// Users by id, of one role if given, matching `search` (name or email) if given.
    func list(role: Role?, search: TextSearch?, page: Pagination) async throws -> (users: [User], total: Int)
    func find(id: Int) async throws -> User?
    func find(email: String) async throws -> User?
    func count() async throws -> Int
    /// Stores `user`; `announce` stores the admins' notice with it (the default accounts of a
    /// fresh campus are not announced).
    func create(_ user: NewUser, announce: Bool) async throws -> User
    func update(id: Int, _ changes: UserChanges) async throws -> User
    func delete(id: Int) async throws
}

extension UserRepository {
    public func create(_ user: NewUser) async throws -> User { try await create(user, announce: true) }
}
