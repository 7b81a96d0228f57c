import FluentKit
import SQLKit

struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required)
            .field("message", .string, .required)
            .field("level", .string, .required)
            .field("audience_type", .string, .required)
            .field("audience_user_id", .string)
            .field("audience_role", .string)
            .field("event_id", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "event_id", name: "notifications_event_id_unique")
            .create()
        try await database.schema(NotificationReadRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("notification_id", .int, .required, .references(NotificationRecord.schema, "id", onDelete: .cascade))
            .field("user_id", .string, .required)
            .field("read_at", .datetime, .required)
            .unique(on: "notification_id", "user_id", name: "notification_reads_once")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "notifications_created_at").on(NotificationRecord.schema).column("created_at").run()
            try await sql.create(index: "notifications_audience").on(NotificationRecord.schema)
                .column("audience_type").column("audience_user_id").column("audience_role").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationReadRecord.schema).delete()
        try await database.schema(NotificationRecord.schema).delete()
    }
}
