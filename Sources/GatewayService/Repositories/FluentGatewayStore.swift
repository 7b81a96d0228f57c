import CampusKit
import FluentKit
import Foundation
import Logging

/// ``GatewayStore`` on FluentKit (`gateway.db` or the `gateway` PostgreSQL schema).
public struct FluentGatewayStore: GatewayStore, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    /// Saves a database lookup per request for tokens seen in the last second (see ``RevocationMemo``).
    let revocations = RevocationMemo()

    public init(provider: DatabaseProvider, logger: Logger) {
        self.provider = provider
        self.logger = logger
    }

    public func record(_ entry: LoginAuditEntry) async throws {
        let record = LoginAuditRecord()
        record.email = String(entry.email.prefix(254))
        record.userID = entry.userId
        record.outcome = entry.outcome.rawValue
        record.clientAddress = entry.clientAddress
        record.requestID = entry.requestId
        record.createdAt = entry.createdAt
        try await record.create(on: try db)
    }

    public func recentLogins(limit: Int) async throws -> [LoginAuditEntry] {
        try await LoginAuditRecord.query(on: try db).sort(\.$id, .descending).limit(limit).all().map {
            LoginAuditEntry(
                email: $0.email, userId: $0.userID, outcome: .init(rawValue: $0.outcome) ?? .invalidCredentials,
                clientAddress: $0.clientAddress, requestId: $0.requestID, createdAt: $0.createdAt
            )
        }
    }

    public func statistics(now: Date) async throws -> LoginStatistics {
        let db = try db
        let since = now.addingTimeInterval(-86_400)
        return LoginStatistics(
            attemptsLast24h: try await LoginAuditRecord.query(on: db).filter(\.$createdAt >= since).count(),
            failuresLast24h: try await LoginAuditRecord.query(on: db).filter(\.$createdAt >= since).filter(\.$outcome != "success").count(),
            lockedAccounts: try await AccountLockRecord.query(on: db).filter(\.$lockedUntil > now).count(),
            revokedTokens: try await RevokedTokenRecord.query(on: db).filter(\.$expiresAt > now).count()
        )
    }

    public func lockedUntil(email: String, now: Date) async throws -> Date? {
        guard let lock = try await AccountLockRecord.find(email, on: try db), lock.lockedUntil > now else { return nil }
        return lock.lockedUntil
    }

    public func recordFailure(email: String, now: Date, policy: LoginLockoutPolicy) async throws -> Date? {
        try await db.transaction { tx in
            try await LoginFailureRecord(email: email, failedAt: now).create(on: tx)
            let recent = try await LoginFailureRecord.query(on: tx)
                .filter(\.$email == email).filter(\.$failedAt > now.addingTimeInterval(-policy.window)).count()
            guard policy.locks(afterFailures: recent) else { return nil }
            let until = now.addingTimeInterval(policy.lockDuration)
            if let lock = try await AccountLockRecord.find(email, on: tx) {
                lock.lockedUntil = until
                try await lock.update(on: tx)
            } else {
                try await AccountLockRecord(email: email, lockedUntil: until).create(on: tx)
            }
            // The lock starts a fresh count: after it ends, five more failures lock again.
            try await LoginFailureRecord.query(on: tx).filter(\.$email == email).delete()
            return until
        }
    }

    public func clearFailures(email: String) async throws {
        try await LoginFailureRecord.query(on: try db).filter(\.$email == email).delete()
    }

    public func unlock(email: String) async throws {
        try await clearFailures(email: email)
        try await AccountLockRecord.query(on: try db).filter(\.$id == email).delete()
    }

    public func revoke(tokenID: String, expiresAt: Date) async throws {
        let db = try db
        defer { revocations.remember(tokenID, revokedUntil: expiresAt) }
        guard try await RevokedTokenRecord.find(tokenID, on: db) == nil else { return }
        do {
            try await RevokedTokenRecord(jti: tokenID, expiresAt: expiresAt).create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Revoked twice at once: the token is revoked either way.
        }
    }

    public func isRevoked(tokenID: String) async throws -> Bool {
        if let known = revocations.lookup(tokenID) { return known }
        let record = try await RevokedTokenRecord.find(tokenID, on: try db)
        revocations.remember(tokenID, revokedUntil: record?.expiresAt)
        return record != nil
    }

    public func purge(now: Date, policy: LoginLockoutPolicy) async throws {
        let db = try db
        try await RevokedTokenRecord.query(on: db).filter(\.$expiresAt <= now).delete()
        revocations.forget(expiredBy: now)
        try await AccountLockRecord.query(on: db).filter(\.$lockedUntil <= now).delete()
        try await LoginFailureRecord.query(on: db).filter(\.$failedAt <= now.addingTimeInterval(-policy.window)).delete()
    }
}
