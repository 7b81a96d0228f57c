import FluentKit
import SQLKit

/// One secret calendar address per user (``CalendarFeed``).
struct CreateCalendarFeeds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarFeedRecord.schema)
            .field("user_id", .string, .identifier(auto: false))
            .field("secret", .string, .required)
            .field("role", .string, .required)
            .field("owner_name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "secret")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarFeedRecord.schema).delete()
    }
}
