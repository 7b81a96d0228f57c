import FluentKit
import Foundation
import SQLKit

/// A side effect owed to another service, stored in the same transaction as the change that
/// caused it and delivered later by ``OutboxDeliverer``.
public final class OutboxEvent: Model, @unchecked Sendable {
    public static let schema = "outbox_events"

    public enum State: String, Codable, Sendable { case pending, delivered, failed }

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "destination") public var destination: String
    @Field(key: "path") public var path: String
    @Field(key: "payload") public var payload: String
    @Field(key: "state") public var state: State
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "delivered_at") public var deliveredAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    /// The W3C `traceparent` of the request that queued the event (when tracing): its delivery continues that trace.
    @OptionalField(key: "trace_parent") public var traceParent: String?

    public init() {}

    init(id: String, destination: ServiceName, path: String, payload: String, now: Date, traceParent: String? = nil) {
        self.id = id
        self.destination = destination.rawValue
        self.path = path
        self.payload = payload
        self.state = .pending
        self.attempts = 0
        self.createdAt = now
        self.nextAttemptAt = now
        self.traceParent = traceParent
    }
}

public struct CreateOutboxEvents: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(OutboxEvent.schema)
            .field("id", .string, .identifier(auto: false))
            .field("destination", .string, .required)
            .field("path", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .field("last_error", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outbox_events_due").on(OutboxEvent.schema).column("state").column("next_attempt_at").run()
        }
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(OutboxEvent.schema).delete()
    }
}

/// The outbox remembers which request queued each event, so its delivery joins that request's trace.
public struct AddOutboxTraceParent: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(OutboxEvent.schema).field("trace_parent", .string).update()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(OutboxEvent.schema).deleteField("trace_parent").update()
    }
}
