import FluentKit

/// The booking or ticket a notice is about (`link`), so the page can open it. Nullable: notices
/// stored before, and admins' own notices, link to nothing.
struct AddNoticeLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationRecord.schema).field("link_kind", .string).update()
        try await database.schema(NotificationRecord.schema).field("link_id", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationRecord.schema).deleteField("link_id").update()
        try await database.schema(NotificationRecord.schema).deleteField("link_kind").update()
    }
}
