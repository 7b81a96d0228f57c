import CampusKit
import CampusTesting
import Foundation
import Testing

@testable import NotificationService

/// The repository contract on SQLite and on PostgreSQL.
@Suite struct NotificationRepositoryTests {
    let ada = Reader(userID: "1", role: .admin)
    let sam = Reader(userID: "3", role: .student)
    let kim = Reader(userID: "7", role: .student)
    let tess = Reader(userID: "4", role: .technician)

    func new(_ title: String, _ audience: Audience, event: String? = nil) -> NewNotification {
        NewNotification(title: title, message: "\(title) message", level: .info, audience: audience, eventID: event, createdBy: "test")
    }

    @Test(arguments: TestDatabase.backends)
    func notificationRepository(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .notification)
        let database = try TestDatabase.make(backend)
        try await database.migrate(NotificationServiceModule.migrations, logger: logger)
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let repository = SQLNotificationRepository(provider: database, logger: logger, now: { clock.now })

        _ = try await repository.create(new("to sam", .user("3")))
        clock.advance(by: 1)
        _ = try await repository.create(new("to students", .role(.student)))
        clock.advance(by: 1)
        let broadcast = try await repository.create(new("to all", .everyone)).view
        clock.advance(by: 1)
        _ = try await repository.create(new("to techs", .role(.technician)))

        // Each audience reaches exactly the right readers, newest first.
        func titles(_ reader: Reader, unread: Bool = false) async throws -> [String] {
            try await repository.list(for: reader, unreadOnly: unread, page: Pagination()).items.map(\.title)
        }
        #expect(try await titles(sam) == ["to all", "to students", "to sam"])
        #expect(try await titles(kim) == ["to all", "to students"])
        #expect(try await titles(tess) == ["to techs", "to all"])
        #expect(try await titles(ada) == ["to all"])
        #expect(try await repository.list(for: sam, unreadOnly: false, page: Pagination(limit: 1, offset: 1)).items.map(\.title) == ["to students"])
        #expect(try await repository.list(for: sam, unreadOnly: false, page: Pagination(limit: 1, offset: 0)).total == 3)

        // Read state is per reader: Sam reading the broadcast leaves it unread for Kim.
        let read = try await repository.setRead(id: broadcast.id, read: true, for: sam)
        #expect(read?.read == true)
        #expect(try await repository.find(id: broadcast.id, for: kim)?.read == false)
        #expect(try await repository.unreadCount(for: sam) == 2)
        #expect(try await repository.unreadCount(for: kim) == 2)
        #expect(try await titles(sam, unread: true) == ["to students", "to sam"])
        // Reading twice is harmless; unread again works.
        _ = try await repository.setRead(id: broadcast.id, read: true, for: sam)
        #expect(try await repository.unreadCount(for: sam) == 2)
        #expect(try await repository.setRead(id: broadcast.id, read: false, for: sam)?.read == false)
        #expect(try await repository.unreadCount(for: sam) == 3)
        // Someone else's notification cannot be touched.
        let samsOwn = try #require(try await repository.list(for: sam, unreadOnly: false, page: Pagination()).items.last)
        #expect(try await repository.setRead(id: samsOwn.id, read: true, for: kim) == nil)
        #expect(try await repository.find(id: samsOwn.id, for: kim) == nil)

        #expect(try await repository.markAllRead(for: sam) == 3)
        #expect(try await repository.markAllRead(for: sam) == 0)
        #expect(try await repository.unreadCount(for: sam) == 0)
        #expect(try await repository.unreadCount(for: kim) == 2)

        // The same event twice makes one notification.
        let first = try await repository.create(new("event", .role(.admin), event: "evt-1"))
        let again = try await repository.create(new("event", .role(.admin), event: "evt-1"))
        #expect(first.created && !again.created)
        #expect(first.view.id == again.view.id)
        #expect(try await titles(ada) == ["event", "to all"])

        // Retention purges old notifications in batches, read marks with them.
        clock.advance(by: 200 * 86_400)
        _ = try await repository.create(new("fresh", .everyone))
        let purged = try await repository.purge(createdBefore: clock.now.addingTimeInterval(-180 * 86_400), batchSize: 2)
        #expect(purged == 5)
        #expect(try await titles(sam) == ["fresh"])
        #expect(try await repository.unreadCount(for: sam) == 1)
        await database.shutdown()
    }

}
