import FluentKit
import SQLKit

/// Photos of tickets and comments, their content in the database (a `bytea` on PostgreSQL, a
/// `BLOB` on SQLite), and each ticket's count of them (``Ticket/photoCount``).
struct CreateTicketPhotos: AsyncMigration {
    static let schema = "ticket_photos"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("id", .int, .identifier(auto: true))
            .field("ticket_id", .int, .required)
            .field("comment_id", .int)
            .field("kind", .string, .required)
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("size", .int, .required)
            .field("content", .data, .required)
            .field("thumbnail", .data)
            .field("thumbnail_kind", .string)
            .field("uploaded_by", .string, .required)
            .field("uploader_name", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "ticket_photos_ticket").on(Self.schema).column("ticket_id").column("id").run()
        try await database.schema(TicketRecord.schema).field("photo_count", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).deleteField("photo_count").update()
        try await database.schema(Self.schema).delete()
    }
}
