import CampusKit
import CampusTesting
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import GatewayService

/// The gateway's storage contract on SQLite and on PostgreSQL.
@Suite struct GatewayStoreTests {
    @Test(arguments: TestDatabase.backends)
    func gatewayStore(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .gateway)
        let database = try TestDatabase.make(backend)
        try await database.migrate(GatewayServiceModule.migrations, logger: logger)
        let store = FluentGatewayStore(provider: database, logger: logger)
        let policy = LoginLockoutPolicy()
        let start = Date().wholeSeconds

        for minute in 0..<4 {
            #expect(try await store.recordFailure(email: "a@example.com", now: start.addingTimeInterval(Double(minute) * 60), policy: policy) == nil)
        }
        #expect(try await store.lockedUntil(email: "a@example.com", now: start) == nil)
        let until = try #require(try await store.recordFailure(email: "a@example.com", now: start.addingTimeInterval(240), policy: policy))
        #expect(until == start.addingTimeInterval(240 + 900))
        #expect(try await store.lockedUntil(email: "a@example.com", now: start.addingTimeInterval(300)) == until)
        #expect(try await store.lockedUntil(email: "a@example.com", now: until.addingTimeInterval(1)) == nil)
        #expect(try await store.lockedUntil(email: "b@example.com", now: start) == nil)

        // Clearing failures resets the count.
        for _ in 0..<4 { _ = try await store.recordFailure(email: "c@example.com", now: start, policy: policy) }
        try await store.clearFailures(email: "c@example.com")
        #expect(try await store.recordFailure(email: "c@example.com", now: start, policy: policy) == nil)

        try await store.revoke(tokenID: "jti-1", expiresAt: start.addingTimeInterval(3600))
        try await store.revoke(tokenID: "jti-1", expiresAt: start.addingTimeInterval(3600))
        #expect(try await store.isRevoked(tokenID: "jti-1"))
        #expect(try await !store.isRevoked(tokenID: "jti-2"))

        try await store.record(
            LoginAuditEntry(email: "a@example.com", userId: nil, outcome: .locked, clientAddress: "127.0.0.1", requestId: "r1", createdAt: start))
        try await store.record(
            LoginAuditEntry(email: "d@example.com", userId: "4", outcome: .success, clientAddress: "127.0.0.1", requestId: "r2", createdAt: start))
        let stats = try await store.statistics(now: start.addingTimeInterval(300))
        #expect(stats == LoginStatistics(attemptsLast24h: 2, failuresLast24h: 1, lockedAccounts: 1, revokedTokens: 1))
        #expect(try await store.recentLogins(limit: 1).first?.email == "d@example.com")

        // Housekeeping drops what has expired and keeps what has not.
        try await store.purge(now: start.addingTimeInterval(7200), policy: policy)
        #expect(try await !store.isRevoked(tokenID: "jti-1"))
        #expect(try await store.statistics(now: start.addingTimeInterval(7200)).lockedAccounts == 0)
        await database.shutdown()
    }

    /// A database migrated before `account_locks` got its own migration: `CreateLoginFailures`
    /// (same name) created both tables, so `CreateAccountLocks` finds its table already there.
    @Test(arguments: TestDatabase.backends)
    func upgradeFromBeforeTheAccountLocksSplit(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .gateway)
        let database = try TestDatabase.make(backend)
        try await database.migrate([CreateLoginAudit(), CreateLoginFailuresBeforeTheSplit(), CreateRevokedTokens()], logger: logger)
        try await database.migrate(GatewayServiceModule.migrations, logger: logger)

        let names = try await database.sql(logger: logger).raw("SELECT name FROM _fluent_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }
        #expect(Set(names) == Set(GatewayServiceModule.migrations.map(\.name)))
        let store = FluentGatewayStore(provider: database, logger: logger)
        let policy = LoginLockoutPolicy()
        let start = Date().wholeSeconds
        for _ in 0..<4 { _ = try await store.recordFailure(email: "a@example.com", now: start, policy: policy) }
        let until = try #require(try await store.recordFailure(email: "a@example.com", now: start, policy: policy))
        #expect(try await store.lockedUntil(email: "a@example.com", now: start) == until)
        await database.shutdown()
    }
}

/// `CreateLoginFailures` as it was before `CreateAccountLocks` was split from it, under its name.
private struct CreateLoginFailuresBeforeTheSplit: AsyncMigration {
    var name: String { CreateLoginFailures().name }

    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailureRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
        try await database.schema(AccountLockRecord.schema)
            .field("email", .string, .identifier(auto: false))
            .field("locked_until", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_email").on(LoginFailureRecord.schema).column("email").column("failed_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountLockRecord.schema).delete()
        try await database.schema(LoginFailureRecord.schema).delete()
    }
}

@Suite struct GatewayOpenAPITests {
    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let store = FluentGatewayStore(provider: database, logger: runtime.logger(for: .gateway))
        let accounts = AccountCutoffs(client: runtime.serviceClient(for: .gateway), logger: runtime.logger(for: .gateway))
        let router = buildRouter(
            runtime: runtime, store: store, acceptance: GatewayTokenAcceptance(store: store, accounts: accounts),
            lockout: LoginLockoutPolicy(), publicDirectory: "/nonexistent", now: Date.init, databaseCheck: {}
        )
        #expect(router.routes.count >= 10)
        #expect(OpenAPICoverage.problems(router: router, spec: GatewayOpenAPI.document) == [])
        await database.shutdown()
    }
}
