import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

/// The outbox against a real receiver over HTTP: delivery waits for a receiver that is down,
/// happens once it is back, and a repeated event is dropped by the receiver.
@Suite struct OutboxTests {
    struct Note: Codable, Sendable { let text: String }

    /// A receiver as the notification service will be: claims each `event_id` in the same
    /// transaction as the row it stores, so duplicates change nothing.
    func receiver(database: DatabaseProvider, runtime: ServiceRuntime, received: NIOLockedValueBox<[String]>) -> some ApplicationProtocol {
        let router = CampusRouter.make(.init(service: .notification, tokens: runtime.tokens, corsOrigins: [], openAPISpec: "{}"))
        router.group("/events", context: AuthenticatedContext.self).post { request, context -> Response in
            guard context.identity.role == .service else { throw APIError.forbidden("services only") }
            struct Event: Decodable {
                let eventId: String
                let text: String
            }
            let event = try await request.decode(as: Event.self, context: context)
            let db = try database.database(logger: context.logger)
            let isNew = try await db.transaction { tx in try await ProcessedEvents.claim(event.eventId, on: tx) }
            if isNew { received.withLockedValue { $0.append(event.text) } }
            return Response(status: isNew ? .created : .ok)
        }
        var app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [database])
        app.beforeServerStarts { try await database.migrate([CreateProcessedEvents()], logger: runtime.logger(for: .notification)) }
        return app
    }

    func deliverer(_ sender: DatabaseProvider, port: Int, runtime: ServiceRuntime, now: Date) -> OutboxDeliverer {
        var endpoints = runtime.settings.endpoints
        endpoints[.notification] = .init(host: "127.0.0.1", port: port)
        let client = ServiceClient(
            http: TestRuntime.http, caller: .users, tokens: runtime.tokens, endpoints: endpoints,
            // A refused connection fails at once; the generous limit only keeps a live receiver on a
            // loaded machine (the whole suite in parallel on two cores) from being taken for a dead one.
            policy: .init(timeout: 30, retryAttempts: 0, retryBackoff: 0))
        return OutboxDeliverer(database: sender, client: client, logger: runtime.logger(for: .users), now: { now })
    }

    @Test func eventsWaitForADownReceiverAndAreDeliveredExactlyOnceWhenItIsBack() async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let sender = try TestDatabase.make(.sqlite)
        try await sender.migrate([CreateOutboxEvents(), AddOutboxTraceParent()], logger: logger)
        let db = try sender.database(logger: logger)
        let messages = try ["one", "two", "three"].map { try OutboxMessage(destination: .notification, path: "/events", payload: Note(text: $0)) }
        try await db.transaction { tx in try await tx.enqueue(messages) }

        // The receiver is down: nothing is delivered, nothing is lost.
        let start = Date()
        let down = deliverer(sender, port: try TestRuntime.refusingPort(), runtime: runtime, now: start)
        #expect(try await down.deliverDue() == 0)
        let pending = try await OutboxEvent.query(on: db).all()
        #expect(pending.count == 3)
        #expect(pending.allSatisfy { $0.state == .pending && $0.attempts == 1 && $0.nextAttemptAt > start })
        // Not due again until the backoff has passed.
        #expect(try await down.deliverDue() == 0)
        #expect(try await OutboxEvent.query(on: db).all().allSatisfy { $0.attempts == 1 })

        let received = NIOLockedValueBox<[String]>([])
        try await receiver(database: try TestDatabase.make(.sqlite), runtime: runtime, received: received).test(.live) { live in
            let later = start.addingTimeInterval(3600)
            let back = deliverer(sender, port: try #require(live.port), runtime: runtime, now: later)
            #expect(try await back.deliverDue() == 3)
            #expect(received.withLockedValue { $0 }.sorted() == ["one", "three", "two"])
            #expect(try await OutboxEvent.query(on: db).all().allSatisfy { $0.state == .delivered && $0.deliveredAt != nil })
            // A second pass sends nothing.
            #expect(try await back.deliverDue() == 0)

            // A crash between sending and recording delivery resends an event: the receiver drops it.
            let first = try #require(try await OutboxEvent.query(on: db).filter(\.$id == messages[0].eventID).first())
            first.state = .pending
            try await first.save(on: db)
            #expect(try await back.deliverDue() == 1)
            #expect(received.withLockedValue { $0 }.count == 3)
        }
        await sender.shutdown()
    }

    @Test func anEventTheReceiverRefusesIsParkedNotRetriedForever() async throws {
        let runtime = await TestRuntime.make()
        let logger = runtime.logger(for: .users)
        let sender = try TestDatabase.make(.sqlite)
        try await sender.migrate([CreateOutboxEvents(), AddOutboxTraceParent()], logger: logger)
        let db = try sender.database(logger: logger)
        struct Wrong: Codable, Sendable { let unexpected: Int }
        try await db.enqueue([try OutboxMessage(destination: .notification, path: "/events", payload: Wrong(unexpected: 1))])
        let received = NIOLockedValueBox<[String]>([])
        try await receiver(database: try TestDatabase.make(.sqlite), runtime: runtime, received: received).test(.live) { live in
            let deliverer = deliverer(sender, port: try #require(live.port), runtime: runtime, now: Date())
            #expect(try await deliverer.deliverDue() == 0)
            let event = try #require(try await OutboxEvent.query(on: db).first())
            #expect(event.state == .failed)
            #expect(event.lastError?.contains("422") == true)
        }
        await sender.shutdown()
    }
}
