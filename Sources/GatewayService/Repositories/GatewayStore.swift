import CampusKit
import Foundation

/// One line of the login audit.
public struct LoginAuditEntry: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case success
        case invalidCredentials = "invalid_credentials"
        case locked
    }
    public var email: String
    public var userId: String?
    public var outcome: Outcome
    public var clientAddress: String
    public var requestId: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case email, userId, outcome, clientAddress, requestId, createdAt }

    /// `user_id` is written as the integer user management gave (null for a failed attempt).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try container.encode(try userId.map(WireID.init(stored:)), forKey: .userId)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(clientAddress, forKey: .clientAddress)
        try container.encode(requestId, forKey: .requestId)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// Counts for the status page.
public struct LoginStatistics: Codable, Sendable, Equatable {
    public var attemptsLast24h: Int
    public var failuresLast24h: Int
    public var lockedAccounts: Int
    public var revokedTokens: Int
}

/// What the gateway stores: the login audit, failure counts and locks, revoked tokens.
public protocol GatewayStore: Sendable {
    func record(_ entry: LoginAuditEntry) async throws
    func recentLogins(limit: Int) async throws -> [LoginAuditEntry]
    func statistics(now: Date) async throws -> LoginStatistics

    /// The end of the lock on `email`, if it is locked at `now`.
    func lockedUntil(email: String, now: Date) async throws -> Date?
    /// Records a failure and, if `policy` says so, locks the account and clears its failures.
    /// Returns the end of the new lock, or `nil` if the account is not locked.
    func recordFailure(email: String, now: Date, policy: LoginLockoutPolicy) async throws -> Date?
    func clearFailures(email: String) async throws
    /// Lifts the lock on `email` and forgets its failures (an operator reset its password).
    func unlock(email: String) async throws

    func revoke(tokenID: String, expiresAt: Date) async throws
    func isRevoked(tokenID: String) async throws -> Bool
    /// Deletes what no longer matters: expired revocations and locks, stale failures.
    func purge(now: Date, policy: LoginLockoutPolicy) async throws
}
