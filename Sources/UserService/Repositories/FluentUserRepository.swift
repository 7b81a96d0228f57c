import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// ``UserRepository`` on FluentKit, for SQLite and PostgreSQL alike.
public struct FluentUserRepository: UserRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let now: @Sendable () -> Date

    public init(provider: DatabaseProvider, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.provider = provider
        self.logger = logger
        self.now = now
    }

    public func list(role: Role?, search: TextSearch?, page: Pagination) async throws -> (users: [User], total: Int) {
        let query = UserRecord.query(on: try db)
        if let role { query.filter(\.$role == role.rawValue) }
        if let search { query.filter(search.filter(columns: ["name", "email"])) }
        let total = try await query.count()
        let records = try await query.copy().sort(\.$id).range(page.range).all()
        return (try records.map { try $0.domain() }, total)
    }

    public func find(id: Int) async throws -> User? {
        try await UserRecord.find(id, on: try db)?.domain()
    }

    public func find(email: String) async throws -> User? {
        try await UserRecord.query(on: try db).filter(\.$email == email).first()?.domain()
    }

    public func count() async throws -> Int {
        try await UserRecord.query(on: try db).count()
    }

    public func create(_ user: NewUser, announce: Bool) async throws -> User {
        let now = now().wholeSeconds
        do {
            return try await db.transaction { tx in
                let record = UserRecord(user, now: now)
                try await record.create(on: tx)
                let created = try record.domain()
                if announce { try await tx.enqueue([try UserNotices.created(created).outboxMessage()], now: now) }
                return created
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw UserStoreError.emailTaken
        }
    }

    public func update(id: Int, _ changes: UserChanges) async throws -> User {
        let now = now().wholeSeconds
        let isPostgreSQL = provider.isPostgreSQL
        do {
            return try await db.transaction { tx in
                if isPostgreSQL, changes.role != nil { try await Self.lockUsers(tx) }
                guard let record = try await UserRecord.find(id, on: tx) else { throw UserStoreError.notFound }
                if let role = changes.role, record.role == Role.admin.rawValue, role != .admin, try await Self.adminCount(tx) <= 1 {
                    throw UserStoreError.lastAdmin
                }
                if let email = changes.email { record.email = email }
                if let name = changes.name { record.name = name }
                if let role = changes.role { record.role = role.rawValue }
                if let hash = changes.passwordHash { record.passwordHash = hash }
                if changes.endsEarlierTokens { record.tokensValidAfter = UserChanges.tokensValidAfter(changeAt: now) }
                record.updatedAt = now
                try await record.update(on: tx)
                return try record.domain()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw UserStoreError.emailTaken
        }
    }

    public func delete(id: Int) async throws {
        let now = now().wholeSeconds
        let isPostgreSQL = provider.isPostgreSQL
        try await db.transaction { tx in
            if isPostgreSQL { try await Self.lockUsers(tx) }
            guard let record = try await UserRecord.find(id, on: tx) else { throw UserStoreError.notFound }
            if record.role == Role.admin.rawValue, try await Self.adminCount(tx) <= 1 {
                throw UserStoreError.lastAdmin
            }
            let deleted = try record.domain()
            try await SavedCoursesRecord.query(on: tx).filter(\.$id == id).delete()
            try await record.delete(on: tx)
            try await tx.enqueue([try UserNotices.deleted(deleted).outboxMessage()], now: now)
        }
    }

    private static func adminCount(_ db: any Database) async throws -> Int {
        try await UserRecord.query(on: db).filter(\.$role == Role.admin.rawValue).count()
    }

    /// Two admins demoting each other at once must not both succeed: on PostgreSQL the
    /// "last admin" check and the change are serialised by a table lock (SQLite has one writer).
    private static func lockUsers(_ db: any Database) async throws {
        try await db.sql.raw("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE").run()
    }
}
