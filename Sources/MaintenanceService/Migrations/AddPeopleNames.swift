import FluentKit

/// Names beside the user ids, so people read "assigned to Tina Tech" instead of "#8": the
/// reporter's and the assignee's on tickets, the actor's on history lines, the author's on comments.
/// Nullable: rows stored before keep their ids only.
struct AddPeopleNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).field("created_by_name", .string).update()
        try await database.schema(TicketRecord.schema).field("assignee_name", .string).update()
        try await database.schema(TicketChangeRecord.schema).field("actor_name", .string).update()
        try await database.schema(TicketCommentRecord.schema).field("author_name", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketCommentRecord.schema).deleteField("author_name").update()
        try await database.schema(TicketChangeRecord.schema).deleteField("actor_name").update()
        try await database.schema(TicketRecord.schema).deleteField("assignee_name").update()
        try await database.schema(TicketRecord.schema).deleteField("created_by_name").update()
    }
}
