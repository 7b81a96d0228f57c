import CampusKit
import CampusTesting
import Foundation
import Testing

@testable import UserService

/// `campus create-admin`'s domain: create an admin, or reset one, on both databases.
@Suite struct AdminAccountTests {
    @Test(arguments: TestDatabase.backends)
    func createsThenResetsAnAdministrator(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let database = try TestDatabase.make(backend)
        try await database.migrate(UserServiceModule.migrations, logger: logger)
        let repository = FluentUserRepository(provider: database, logger: logger)
        let hasher = PasswordHasher(cost: 4)
        let accounts = AdminAccount(repository: repository, hasher: hasher)

        guard case .created(let created) = try await accounts.createOrReset(email: " Ops@Campus.Example ", name: "Operations", password: "first-password")
        else {
            Issue.record("expected a new account")
            return
        }
        #expect(created.email == "ops@campus.example" && created.role == .admin && created.name == "Operations")
        #expect(try await hasher.verify("first-password", against: created.passwordHash))

        // A student with the e-mail becomes an admin with the new password; earlier tokens end; the name stays.
        let student = try await repository.create(NewUser(email: "kim@example.com", name: "Kim", role: .student, passwordHash: "old"), announce: false)
        let before = try #require(student.tokensValidAfter)
        guard case .reset(let reset) = try await accounts.createOrReset(email: "kim@example.com", name: nil, password: "second-password")
        else {
            Issue.record("expected a reset")
            return
        }
        #expect(reset.id == student.id && reset.role == .admin && reset.name == "Kim")
        #expect(try await hasher.verify("second-password", against: reset.passwordHash))
        #expect(try #require(reset.tokensValidAfter) > before)

        // Refusals change nothing.
        await #expect(throws: FieldRefusal.self) { try await accounts.createOrReset(email: "new@example.com", name: "New", password: "short") }
        await #expect(throws: FieldRefusal.self) { try await accounts.createOrReset(email: "new@example.com", name: nil, password: "long-enough-pw") }
        await #expect(throws: FieldRefusal.self) { try await accounts.createOrReset(email: "not-an-email", name: "X", password: "long-enough-pw") }
        #expect(try await repository.find(email: "new@example.com") == nil)
        #expect(try await repository.count() == 2)
        await hasher.shutdown()
        await database.shutdown()
    }
}

/// The default accounts' published hashes: what a first start stores instead of hashing.
@Suite struct DefaultAccountHashTests {
    @Test func eachPublishedHashIsThePasswordAtTheDefaultCost() async throws {
        let defaultCost = try Settings.load(environment: ["JWT_SECRET_KEY": String(repeating: "k", count: 40)], dotEnvPath: nil).bcryptCost
        #expect(DefaultUsers.publishedHashCost == defaultCost)
        let hasher = PasswordHasher(cost: defaultCost, threads: 2)
        for account in DefaultUsers.accounts {
            #expect(account.publishedHash.hasPrefix("$2b$\(defaultCost)$"), "\(account.email)")
            #expect(try await hasher.verify(account.password, against: account.publishedHash), "\(account.email)")
            #expect(try await !hasher.verify(account.password + "x", against: account.publishedHash), "\(account.email)")
        }
        await hasher.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func anotherCostHashesTheDefaultPasswordsAtThatCost(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let database = try TestDatabase.make(backend)
        try await database.migrate(UserServiceModule.migrations, logger: logger)
        let repository = FluentUserRepository(provider: database, logger: logger)
        let hasher = PasswordHasher(cost: 4)
        try await DefaultUserSeeder(repository: repository, hasher: hasher, logger: logger).seedIfEmpty()
        for account in DefaultUsers.accounts {
            let stored = try #require(try await repository.find(email: account.email))
            #expect(stored.passwordHash.dropFirst(3).hasPrefix("$04$") && stored.passwordHash != account.publishedHash, "\(account.email)")
            #expect(try await hasher.verify(account.password, against: stored.passwordHash))
        }
        await hasher.shutdown()
        await database.shutdown()
    }
}
