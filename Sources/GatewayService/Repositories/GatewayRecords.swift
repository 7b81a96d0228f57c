import FluentKit
import Foundation

final class LoginAuditRecord: Model, @unchecked Sendable {
    static let schema = "login_audit"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "email") var email: String
    @OptionalField(key: "user_id") var userID: String?
    @Field(key: "outcome") var outcome: String
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "request_id") var requestID: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class LoginFailureRecord: Model, @unchecked Sendable {
    static let schema = "login_failures"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "email") var email: String
    @Field(key: "failed_at") var failedAt: Date
    init() {}
    init(email: String, failedAt: Date) {
        self.email = email
        self.failedAt = failedAt
    }
}

final class AccountLockRecord: Model, @unchecked Sendable {
    static let schema = "account_locks"
    @ID(custom: "email", generatedBy: .user) var id: String?
    @Field(key: "locked_until") var lockedUntil: Date
    init() {}
    init(email: String, lockedUntil: Date) {
        self.id = email
        self.lockedUntil = lockedUntil
    }
}

final class RevokedTokenRecord: Model, @unchecked Sendable {
    static let schema = "revoked_tokens"
    @ID(custom: "jti", generatedBy: .user) var id: String?
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
    init(jti: String, expiresAt: Date) {
        self.id = jti
        self.expiresAt = expiresAt
    }
}
