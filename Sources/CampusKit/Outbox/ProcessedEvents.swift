import FluentKit
import Foundation
import SQLKit

/// The receiving side of the outbox: remembers which `event_id`s were already handled.
public enum ProcessedEvents {
    public static let schema = "processed_events"

    /// Records `eventID`; returns false when it was seen before. Call it inside the transaction
    /// that applies the event, so the event and its effect are stored together or not at all.
    public static func claim(_ eventID: String, on database: any Database, now: Date = Date()) async throws -> Bool {
        let sql = database.sql
        let rows = try await sql.insert(into: schema)
            .columns("event_id", "received_at")
            .values(SQLBind(eventID), SQLBind(now))
            .ignoringConflicts(with: "event_id")
            .returning("event_id")
            .all()
        return !rows.isEmpty
    }
}

public struct CreateProcessedEvents: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
        try await database.schema(ProcessedEvents.schema)
            .field("event_id", .string, .identifier(auto: false))
            .field("received_at", .datetime, .required)
            .create()
    }
    public func revert(on database: any Database) async throws {
        try await database.schema(ProcessedEvents.schema).delete()
    }
}
