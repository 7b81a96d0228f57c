import FluentKit
import SQLKit

struct CreateLoginAudit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAuditRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("user_id", .string)
            .field("outcome", .string, .required)
            .field("client_address", .string, .required)
            .field("request_id", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_audit_created_at").on(LoginAuditRecord.schema).column("created_at").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(LoginAuditRecord.schema).delete()
    }
}

/// Fluent records a migration by its type's name: this one keeps its name although it no longer
/// creates `account_locks` (``CreateAccountLocks`` does), so databases that ran it stay current.
struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailureRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_email").on(LoginFailureRecord.schema).column("email").column("failed_at").run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailureRecord.schema).delete()
    }
}

/// `account_locks`, which ``CreateLoginFailures`` used to create: databases that ran that
/// migration before the split already have the table, hence `ignoreExisting()` (IF NOT EXISTS).
struct CreateAccountLocks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountLockRecord.schema)
            .field("email", .string, .identifier(auto: false))
            .field("locked_until", .datetime, .required)
            .ignoreExisting()
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AccountLockRecord.schema).delete()
    }
}

struct CreateRevokedTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RevokedTokenRecord.schema)
            .field("jti", .string, .identifier(auto: false))
            .field("expires_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(RevokedTokenRecord.schema).delete()
    }
}
