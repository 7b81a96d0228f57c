import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Testing

@testable import UserService

/// The same repository contract on SQLite and on PostgreSQL.
@Suite struct UserRepositoryTests {
    @Test(arguments: TestDatabase.backends)
    func userRepository(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let database = try TestDatabase.make(backend)
        try await database.migrate(UserServiceModule.migrations, logger: logger)
        let repository = FluentUserRepository(provider: database, logger: logger)

        let admin = try await repository.create(NewUser(email: "root@example.com", name: "Root", role: .admin, passwordHash: "h1"))
        let student = try await repository.create(NewUser(email: "kim@example.com", name: "Kim", role: .student, passwordHash: "h2"))
        #expect(admin.id != student.id)
        #expect(try await repository.find(email: "kim@example.com") == student)
        #expect(try await repository.find(id: admin.id)?.role == .admin)
        #expect(try await repository.find(id: 999_999) == nil)

        // The outbox rows were written with the users.
        let db = try database.database(logger: logger)
        #expect(try await OutboxEvent.query(on: db).count() == 2)

        // A duplicate email is refused and leaves no outbox row behind.
        await #expect(throws: UserStoreError.emailTaken) {
            try await repository.create(NewUser(email: "kim@example.com", name: "Kim 2", role: .faculty, passwordHash: "h3"))
        }
        #expect(try await OutboxEvent.query(on: db).count() == 2)
        #expect(try await repository.count() == 2)

        // Pages and totals.
        for index in 0..<5 {
            _ = try await repository.create(NewUser(email: "s\(index)@example.com", name: "S\(index)", role: .student, passwordHash: "h"), announce: false)
        }
        let page = try await repository.list(role: nil, search: nil, page: Pagination(limit: 3, offset: 2))
        #expect(page.total == 7)
        #expect(page.users.count == 3)
        #expect(try await repository.list(role: .student, search: nil, page: Pagination()).total == 6)
        // An offset near Int.max is an empty page, not an overflow trap that takes the process down.
        let far = try await repository.list(role: nil, search: nil, page: Pagination(limit: 200, offset: Int.max - 1))
        #expect(far.users.isEmpty && far.total == 7)

        // Search: every word, in the name or the email, any case; with the role filter too.
        let found = try await repository.list(role: nil, search: TextSearch("KIM example"), page: Pagination())
        #expect(found.users.map(\.email) == ["kim@example.com"] && found.total == 1)
        #expect(try await repository.list(role: nil, search: TextSearch("s3@"), page: Pagination()).users.map(\.name) == ["S3"])
        #expect(try await repository.list(role: .admin, search: TextSearch("s"), page: Pagination()).users.map(\.name) == [])
        #expect(try await repository.list(role: .student, search: TextSearch("example.com"), page: Pagination()).total == 6)
        #expect(TextSearch("   ") == nil)

        // Updates, and the last admin is protected.
        let renamed = try await repository.update(id: student.id, UserChanges(name: "Kim Lee", role: .faculty))
        #expect(renamed.name == "Kim Lee" && renamed.role == .faculty)
        await #expect(throws: UserStoreError.lastAdmin) { try await repository.update(id: admin.id, UserChanges(role: .student)) }
        await #expect(throws: UserStoreError.lastAdmin) { try await repository.delete(id: admin.id) }
        await #expect(throws: UserStoreError.emailTaken) { try await repository.update(id: student.id, UserChanges(email: "root@example.com")) }
        await #expect(throws: UserStoreError.notFound) { try await repository.update(id: 424_242, UserChanges(name: "x")) }

        // With a second admin the first may go.
        _ = try await repository.update(id: student.id, UserChanges(role: .admin))
        try await repository.delete(id: admin.id)
        #expect(try await repository.find(id: admin.id) == nil)
        #expect(try await OutboxEvent.query(on: db).count() == 3)
        await #expect(throws: UserStoreError.notFound) { try await repository.delete(id: admin.id) }
        await database.shutdown()
    }
}
