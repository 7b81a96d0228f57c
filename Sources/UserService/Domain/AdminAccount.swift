import CampusKit
import Foundation

/// `campus create-admin`: the first administrator without published default passwords, or a way
/// back in. A new e-mail becomes an admin account; a known one gets the new password and the
/// admin role, and every token issued before is ended (``UserChanges/endsEarlierTokens``).
public struct AdminAccount: Sendable {
    public enum Outcome: Sendable, Equatable {
        case created(User)
        case reset(User)
    }

    let repository: any UserRepository
    let hasher: PasswordHasher

    public init(repository: any UserRepository, hasher: PasswordHasher) {
        self.repository = repository
        self.hasher = hasher
    }

    /// `name` may be nil only when the account exists (its name is kept).
    public func createOrReset(email rawEmail: String, name rawName: String?, password: String) async throws -> Outcome {
        let email = try UserRules.normalizedEmail(rawEmail)
        try UserRules.password(password)
        var name: String?
        if let rawName { name = try UserRules.name(rawName) }
        let hash = try await hasher.hash(password)
        if let existing = try await repository.find(email: email) {
            var changes = UserChanges()
            changes.role = .admin
            changes.passwordHash = hash
            changes.name = name
            return .reset(try await repository.update(id: existing.id, changes))
        }
        guard let name else { throw FieldRefusal("name", .empty) }
        do {
            return .created(try await repository.create(NewUser(email: email, name: name, role: .admin, passwordHash: hash)))
        } catch UserStoreError.emailTaken {
            // Created a moment ago by someone else: reset it instead.
            return try await createOrReset(email: email, name: name, password: password)
        }
    }
}
