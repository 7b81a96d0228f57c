import CampusKit
import CampusTesting
import Foundation
import Testing

@testable import NotificationService

/// The e-mail bookkeeping on SQLite and on PostgreSQL: what a notice owes, who gets it, that two
/// replicas never take the same e-mail, back-off, preferences and one-click unsubscribe. The
/// e-mails themselves, at a real SMTP server, are e2e/mail's.
@Suite struct MailStoreTests {
    let sam = MailRecipient(userID: "3", name: "Sam Student", email: "sam@example.edu", role: .student)
    let tess = MailRecipient(userID: "4", name: "Tess Tech", email: "tess@example.edu", role: .technician)

    func notice(_ title: String, _ audience: Audience, kind: NoticeKind?) -> NewNotification {
        NewNotification(title: title, message: "\(title)!", level: .info, audience: audience, eventID: nil, createdBy: "test", kind: kind)
    }

    @Test(arguments: TestDatabase.backends)
    func mailIsOwedWithTheNoticeAndTakenOnce(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .notification)
        let database = try TestDatabase.make(backend)
        try await database.migrate(NotificationServiceModule.migrations, logger: logger)
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let mailing = SQLNotificationRepository(provider: database, logger: logger, now: { clock.now }, mailing: true)
        let quiet = SQLNotificationRepository(provider: database, logger: logger, now: { clock.now }, mailing: false)
        // Two replicas on one database.
        let one = SQLMailStore(provider: database, notices: quiet, logger: logger, now: { clock.now })
        let two = SQLMailStore(provider: database, notices: quiet, logger: logger, now: { clock.now })

        let booking = try await mailing.create(notice("Booking confirmed", .user("3"), kind: .bookingUpdates)).view
        _ = try await mailing.create(notice("New ticket", .role(.technician), kind: nil))
        _ = try await quiet.create(notice("Without SMTP", .user("3"), kind: .bookingUpdates))
        let broadcast = try await mailing.create(notice("Broadcast", .everyone, kind: .broadcasts)).view

        // Only the notices of a mailed kind, made while e-mail is on, owe e-mail; a claimed job is not claimed again.
        async let claimedByOne = one.claimJobs(limit: 10)
        async let claimedByTwo = two.claimJobs(limit: 10)
        let jobs = try await claimedByOne + claimedByTwo
        #expect(Set(jobs.map(\.notificationID)) == [booking.id, broadcast.id])
        #expect(jobs.count == 2)
        #expect(try await one.claimJobs(limit: 10).isEmpty)

        // Expanding twice (a replica that lost its claim) still makes one e-mail per person.
        let broadcastJob = try #require(jobs.first { $0.notificationID == broadcast.id })
        try await one.expand(try #require(jobs.first { $0.notificationID == booking.id }), to: [sam])
        try await one.expand(broadcastJob, to: [sam, tess])
        try await two.expand(broadcastJob, to: [sam, tess])

        async let deliveriesOfOne = one.claimDeliveries(limit: 2)
        async let deliveriesOfTwo = two.claimDeliveries(limit: 10)
        let deliveries = try await deliveriesOfOne + deliveriesOfTwo
        #expect(deliveries.count == 3)
        #expect(Set(deliveries.map(\.id)).count == 3)
        #expect(Set(deliveries.map { "\($0.notice.id)/\($0.recipient.userID)" }) == ["\(booking.id)/3", "\(broadcast.id)/3", "\(broadcast.id)/4"])
        let toTess = try #require(deliveries.first { $0.recipient == tess })
        #expect(toTess.kind == .broadcasts && toTess.notice.title == "Broadcast")

        // Sent is final; deferred comes back after its back-off; failed never does.
        for delivery in deliveries {
            switch delivery.recipient {
            case tess: try await one.record(delivery, .deferred("451 try later"))
            case sam where delivery.notice.id == booking.id: try await one.record(delivery, .sent)
            default: try await one.record(delivery, .failed("550 no such mailbox"))
            }
        }
        #expect(try await one.claimDeliveries(limit: 10).isEmpty)
        clock.advance(by: SQLMailStore.backoff(attempts: 1) + 1)
        let again = try await two.claimDeliveries(limit: 10)
        #expect(again.map(\.id) == [toTess.id])
        #expect(again.first?.attempts == 1)
        // A claim that is never recorded (a replica that died) is taken again only after the lease.
        clock.advance(by: SQLMailStore.lease - 5)
        #expect(try await one.claimDeliveries(limit: 10).isEmpty)
        clock.advance(by: 10)
        #expect(try await one.claimDeliveries(limit: 10).map(\.id) == [toTess.id])
        #expect(try await one.counts() == ["sent": 1, "failed": 1, "pending": 1])
        await database.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func preferencesFollowTheRoleUntilChosenAndUnsubscribeTurnsAllOff(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .notification)
        let database = try TestDatabase.make(backend)
        try await database.migrate(NotificationServiceModule.migrations, logger: logger)
        let store = SQLMailStore(
            provider: database, notices: SQLNotificationRepository(provider: database, logger: logger), logger: logger, now: Date.init)

        let fresh = try await store.preferences(of: "3")
        #expect(NoticeKind.allCases.filter { fresh.allows($0, role: .student) } == [.bookingUpdates, .ticketUpdates])
        #expect(NoticeKind.allCases.filter { fresh.allows($0, role: .technician) } == [.bookingUpdates, .ticketUpdates, .assignments, .slaBreaches])

        let changed = try await store.change([.broadcasts: true, .ticketUpdates: false], of: "3")
        #expect(NoticeKind.allCases.filter { changed.allows($0, role: .student) } == [.bookingUpdates, .broadcasts])
        #expect(try await store.preferences(of: "3") == changed)
        // Someone else's choices are their own.
        #expect(try await store.preferences(of: "4") == MailPreferences())

        let secret = try await store.recipientSettings(of: "3").unsubscribeSecret
        #expect(try await store.recipientSettings(of: "3").unsubscribeSecret == secret)
        #expect(URLSecret.parse(secret[...]) == secret)
        #expect(try await store.recipientSettings(of: "4").unsubscribeSecret != secret)
        #expect(try await store.owner(ofUnsubscribeSecret: secret) == "3")
        #expect(try await !store.unsubscribe(secret: URLSecret.make()))
        #expect(try await store.unsubscribe(secret: secret))
        let after = try await store.preferences(of: "3")
        #expect(NoticeKind.allCases.allSatisfy { !after.allows($0, role: .technician) })
        #expect(try await store.preferences(of: "4") == MailPreferences())
        #expect(try await store.preferences(of: ["3", "4", "9"]) == ["3": after, "4": MailPreferences(), "9": MailPreferences()])
        await database.shutdown()
    }
}
